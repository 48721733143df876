/** Placeholder until its helper builds it (issue 11). */
export default function DrillsHome() {
  return <h1>DrillsHome</h1>;
}
