"""The one django-tasks task: run a recorded job. Its only argument is the job's id (JSON), and it
returns the final status; what the job did is on the Job row, not in the task result."""

from django_tasks import task

from . import services


@task()
def run_job(job_id: str) -> str:
    return services.job_run(job_id=job_id)
