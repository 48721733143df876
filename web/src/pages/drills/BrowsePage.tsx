/** Placeholder until its helper builds it (issue 11). */
export default function BrowsePage({ module }: { module: string }) {
  void module;
  return <h1>BrowsePage</h1>;
}
