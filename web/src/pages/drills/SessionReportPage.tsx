/** Placeholder until its helper builds it (issue 11). */
export default function SessionReportPage({ id }: { id: string }) {
  void id;
  return <h1>SessionReportPage</h1>;
}
