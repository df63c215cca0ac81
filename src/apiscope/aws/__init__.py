"""apiscope on AWS Lambda: the job store in DynamoDB, the work in other invocations.

Three shapes (deploy/aws/template.yaml, parameter `Shape`), chosen by `APISCOPE_DISPATCH`:

- `lambda`: one function serves HTTP and runs each job in an asynchronous invocation of itself
  (`InvocationType=Event`). Never a task left running after the response: Lambda freezes the
  environment once the handler returns, and such a task may never finish.
- `sqs`: one message per job; a worker function takes batches and reports partial failures; a
  dead-letter queue's function fails the jobs whose messages kept failing.
- `stepfunctions`: a state machine with one Task per pipeline step (Retry with backoff, Catch
  that fails the job), started under the job's id so a repeated submission starts nothing.

Modules: `settings`, `dispatchers` (the `Dispatcher`s), `worker` (one job within a deadline),
`queue` (SQS batches and dead letters), `steps` and `statemachine` (Step Functions),
`maintenance` (the scheduled rescue, purge and re-dispatch), `runtime` (what an execution
environment keeps between invocations), `handlers` (the Lambda entry points).
"""
