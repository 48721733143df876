/** Placeholder until its helper builds it (issue 11). */
export default function QuickFirePage() {
  return <h1>QuickFirePage</h1>;
}
