"""``PrivilegedTask``: the ``modules/privileged-task`` Terraform module.

One-shot privileged root tasks keyed by request id, run at apply through ``sts:AssumeRoot``:
allow password recovery (``IAMCreateRootUserPassword``), unlock an S3 bucket policy
(``S3UnlockBucketPolicy``), unlock an SQS queue policy (``SQSUnlockQueuePolicy``).
Source: IAM User Guide, "Perform a privileged task on an AWS Organizations member account"
(id_root-user-privileged-task.html).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from constructs import Construct

from root_access_cdktf._engine import engine_variables
from root_access_cdktf._module import RootAccessModule
from root_access_cdktf.props import PrivilegedTaskRequest, requests_variable
from root_access_cdktf.validation import boolean, non_empty_string

__all__ = ["PrivilegedTask"]


class PrivilegedTask(RootAccessModule):
    """Run privileged root tasks once per request id (``module.<id>``).

    ``requests`` maps a request id you choose (e.g. ``"CHG-1234"``) to a
    :class:`PrivilegedTaskRequest`; a new id runs at the next apply, an applied id never
    runs again. Raises ``PropsError`` at construction (synth time) for a bad prop.
    """

    MODULE = "privileged-task"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        requests: Mapping[str, PrivilegedTaskRequest] | None = None,
        create: bool | None = None,
        evidence_path: str | None = None,
        python_executable: str | None = None,
        profile: str | None = None,
        region: str | None = None,
        source: str | None = None,
        providers: Sequence[Any] | None = None,
        depends_on: Sequence[Any] | None = None,
    ) -> None:
        where = type(self).__name__
        variables: dict[str, Any] = {
            "create": boolean(create, f"{where}.create"),
            "requests": requests_variable(requests, f"{where}.requests"),
            "evidence_path": None
            if evidence_path is None
            else non_empty_string(evidence_path, f"{where}.evidence_path"),
            **engine_variables(
                where, python_executable=python_executable, profile=profile, region_name=region
            ),
        }
        super().__init__(
            scope,
            id,
            variables=variables,
            source=source,
            providers=providers,
            depends_on=depends_on,
        )

    @property
    def request_ids(self) -> list[str]:
        """Token for the sorted ids of the requests run (or run at this apply)."""
        return self.get_list("request_ids")

    @property
    def recorded_requests(self) -> Any:
        """Token for the recorded requests keyed by request id (module output ``requests``)."""
        return self.get("requests")
