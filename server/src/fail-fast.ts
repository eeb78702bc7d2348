/**
 * Runs a start-up step of a command-line entry point. An expected error (a bad configuration,
 * bad document data) is the operator's to fix: its one-line message goes to stderr and the
 * process exits with status 2. Anything else is our bug and propagates with its stack.
 */
export async function failFast<T>(
  step: () => T | Promise<T>,
  expected: abstract new (...args: never[]) => Error,
): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof expected) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}
