/** Things to undo at the end, in reverse order of doing them; every step runs even if one fails. */
export function createCleanupStack(onError: (err: unknown) => void) {
  const steps: (() => Promise<void>)[] = [];
  return {
    push(step: () => Promise<void>) {
      steps.push(step);
    },
    async run() {
      while (steps.length) {
        const step = steps.pop() as () => Promise<void>;
        await step().catch(onError);
      }
    },
  };
}
