/** Placeholder until its helper builds it (issue 11). */
export default function MockInterviewPage() {
  return <h1>MockInterviewPage</h1>;
}
