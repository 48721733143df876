/** Placeholder until its helper builds it (issue 11). */
export default function ReviewPage() {
  return <h1>ReviewPage</h1>;
}
