package dev.syft.jobs;

/**
 * Everything a reviewer looks at before deciding.
 *
 * @param info the job
 * @param configYaml {@code config.yaml} as submitted
 * @param runScript {@code run.sh} as submitted
 * @param code the entrypoint's text (else the first {@code .py} file, else empty)
 * @param executes what this data owner will actually execute (Python and Java jobs are started from
 *     the validated metadata; {@code run.sh} is executed only for bash jobs)
 */
public record JobDetails(JobInfo info, String configYaml, String runScript, String code, String executes) {}
