/** Placeholder until its helper builds it (issue 11). */
export default function MockHistoryPage() {
  return <h1>MockHistoryPage</h1>;
}
