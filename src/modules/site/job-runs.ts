// What the scheduler last ran in this process, for /healthz: a monitor sees that the background
// jobs (publishing, mail) are alive. Kept in memory: it describes this server, not the CLI.
export interface JobRun {
  job: string;
  /** When the run finished (ISO). */
  at: string;
  ok: boolean;
}

export const createJobRuns = () => {
  let last: JobRun | null = null;
  const failed = new Map<string, string>();
  return {
    record(run: JobRun): void {
      last = run;
      if (run.ok) failed.delete(run.job);
      else failed.set(run.job, run.at);
    },
    last: (): JobRun | null => last,
    /** Jobs whose latest run failed, with the time it did. */
    failing: (): { job: string; at: string }[] => [...failed].map(([job, at]) => ({ job, at })),
  };
};

export type JobRuns = ReturnType<typeof createJobRuns>;
