/** perflab itself cannot work here (no Python environment, no sandbox): exit status 3. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}
