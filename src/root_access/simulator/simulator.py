"""The in-process simulator: a context manager over moto's ``mock_aws``.

::

    with Simulator(Scenario.load("scenario.yaml")) as sim:
        session = sim.session()                  # pipeline IAM user, first management account
        session = sim.session("333333333333")    # the same principal in another account
        sim.root_user("222222222222")            # root-user state, for assertions
        sim.calls                                # [CallRecord(service, action, account, error)]
        sim.faults.update(latency_ms=20)         # runtime faults

:func:`build_world` turns a scenario into moto state through A1's ``World`` builder; the
server (:mod:`root_access.simulator.server`) uses it too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .calllog import CallLog, CallRecord, DispatchHook, install_dispatch_hook
from .faults import FaultInjector
from .scenario import (
    Account,
    OrganizationalUnit,
    Pipeline,
    Scenario,
    ServiceControlPolicy,
)

if TYPE_CHECKING:
    import boto3

    from .world import RootUser, World

__all__ = ["PIPELINE_USER", "Principals", "Simulator", "build_world"]

PIPELINE_USER = "pipeline"
"""The IAM user (AdministratorAccess) the simulator signs its sessions as."""


class Principals:
    """Access keys of the pipeline IAM user per account, created on first use.

    Keys stay in memory only (they are the simulator's fake keys, never AssumeRoot's).
    """

    def __init__(self, create: Callable[[str], tuple[str, str]]) -> None:
        self._create = create
        self._keys: dict[str, tuple[str, str]] = {}

    def get(self, account_id: str) -> tuple[str, str]:
        """``(access_key_id, secret_access_key)`` of the pipeline user in ``account_id``."""
        if account_id not in self._keys:
            self._keys[account_id] = self._create(account_id)
        return self._keys[account_id]


def build_world(scenario: Scenario, world: World) -> Principals:
    """Create every organization, OU, account, credential, SCP and setting of ``scenario``.

    Runs inside ``mock_aws`` or the moto server process, after ``install()``. Returns the
    pipeline principals, with the management accounts' and delegated administrators'
    already created. Cost: O(accounts); no AWS call passes the call log.
    """
    from .world import AccessKeySpec

    region = scenario.region
    policy_ids: dict[str, str] = {}

    def attach(management_id: str, scps: Sequence[ServiceControlPolicy], target: str) -> None:
        for scp in scps:
            key = f"{management_id}/{scp.name}"
            if key not in policy_ids:
                policy_ids[key] = world.create_scp(
                    management_account_id=management_id,
                    name=scp.name,
                    document=scp.document,
                    description=scp.description,
                )
            world.attach_scp(
                management_account_id=management_id, policy_id=policy_ids[key], target_id=target
            )

    def add_resources(account: Account) -> None:
        for bucket in account.buckets:
            world.create_bucket(
                account.id, bucket.name, region=bucket.region or region, policy=bucket.policy
            )
        for queue in account.queues:
            world.create_queue(
                account.id, queue.name, region=queue.region or region, policy=queue.policy
            )

    def add_accounts(management_id: str, ou: OrganizationalUnit, parent_id: str | None) -> None:
        attach(
            management_id, ou.service_control_policies, parent_id or world.root_id(management_id)
        )
        for account in ou.accounts:
            world.create_account(
                management_account_id=management_id,
                account_id=account.id,
                name=account.name,
                email=account.email,
                state=account.state,
                parent_id=parent_id,
            )
            _set_root_user(account)
            attach(management_id, account.service_control_policies, account.id)
            add_resources(account)
        for child in ou.organizational_units:
            child_id = world.create_organizational_unit(
                management_account_id=management_id, name=child.name, parent_id=parent_id
            )
            add_accounts(management_id, child, child_id)

    def _set_root_user(account: Account) -> None:
        credentials = account.root_credentials
        if credentials.any:
            world.set_root_credentials(
                account.id,
                password=credentials.password,
                access_keys=[
                    AccessKeySpec(
                        status=key.status,
                        last_used_date=key.last_used.date if key.last_used else None,
                        last_used_service=key.last_used.service if key.last_used else None,
                        last_used_region=key.last_used.region if key.last_used else None,
                    )
                    for key in credentials.access_keys
                ],
                signing_certificates=credentials.signing_certificates,
                mfa_devices=credentials.mfa_devices,
            )
        if account.scp_deny:
            world.deny_in_root_sessions(account.id, account.scp_deny)

    principals = Principals(
        lambda account_id: world.create_pipeline_principal(account_id=account_id)
    )
    for organization in scenario.organizations:
        management_id = organization.management_account.id
        world.create_organization(
            management_account_id=management_id,
            feature_set=organization.feature_set,
            partition=organization.partition,
        )
        add_accounts(management_id, organization.root, None)
        for principal in organization.trusted_access:
            world.enable_trusted_access(
                management_account_id=management_id, service_principal=principal
            )
        if organization.delegated_administrator is not None:
            world.register_delegated_administrator(
                management_account_id=management_id,
                account_id=organization.delegated_administrator,
            )
        if organization.features:
            world.enable_features(
                management_account_id=management_id, features=organization.features
            )
        if organization.task_features:
            world.set_task_features(
                management_account_id=management_id, task_features=organization.task_features
            )
        add_resources(organization.management_account)
        principals.get(management_id)
        if organization.delegated_administrator is not None:
            principals.get(organization.delegated_administrator)
        if organization.pipeline is not None:
            pipeline_account = organization.pipeline.account_id or management_id
            principals.get(pipeline_account)
            _set_pipeline_policy(world, pipeline_account, organization.pipeline)
    return principals


def _set_pipeline_policy(world: World, account_id: str, pipeline: Pipeline) -> None:
    """``World.set_pipeline_policy`` when this World has it (added with the identity-policy
    enforcement); without it the scenario's ``pipeline`` is validated and not enforced."""
    setter = getattr(world, "set_pipeline_policy", None)
    if setter is not None:
        setter(account_id, json.loads(pipeline.policy))


class Simulator:
    """Simulated AWS in this process for the life of the ``with`` block.

    ``scenario`` defaults to the packaged ``default.yaml``. With ``keep_call_records``
    off the call log keeps only counters (flat memory for load runs). Only one
    simulator may run in a process at a time (moto's mock is process-wide).
    Raises ScenarioError (via ``Scenario``) and RuntimeError when one is already running.
    """

    def __init__(self, scenario: Scenario | None = None, *, keep_call_records: bool = True) -> None:
        self.scenario = scenario if scenario is not None else Scenario.default()
        self.region = self.scenario.region
        self.call_log = CallLog(keep_records=keep_call_records)
        self.faults = FaultInjector(self.scenario.faults)
        self._mock: Any = None
        self._hook: DispatchHook | None = None
        self._principals: Principals | None = None

    def __enter__(self) -> Simulator:
        from moto import mock_aws

        from .install import install
        from .world import World

        install()
        hook = install_dispatch_hook()
        if hook.attached:
            raise RuntimeError("a simulator is already running in this process")
        mock = mock_aws()
        mock.start()
        try:
            world = World()
            self._principals = build_world(self.scenario, world)
        except BaseException:
            mock.stop()
            raise
        self.faults.set_expire_hook(world.expire_sessions)
        hook.attach(self.call_log, self.faults)
        self._mock, self._hook = mock, hook
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._hook is not None:
            self._hook.detach()
        if self._mock is not None:
            self._mock.stop()
        self._mock = self._hook = self._principals = None

    @property
    def world(self) -> World:
        """The builder over the running simulator's state (to change it mid-test)."""
        from .world import World

        self._running()
        return World()

    @property
    def management_account_id(self) -> str:
        """The first organization's management account."""
        return self.scenario.organizations[0].management_account.id

    def credentials(self, account_id: str | None = None) -> tuple[str, str]:
        """``(access_key_id, secret_access_key)`` of the pipeline user in ``account_id``."""
        return self._running().get(account_id or self.management_account_id)

    def session(self, account_id: str | None = None) -> boto3.Session:
        """A boto3 session of the pipeline IAM user (AdministratorAccess) in ``account_id``.

        Default: the first organization's management account. The user is created in
        other accounts (e.g. the delegated administrator ``333333333333``) on first use.
        """
        import boto3

        key, secret = self.credentials(account_id)
        return boto3.Session(
            aws_access_key_id=key, aws_secret_access_key=secret, region_name=self.region
        )

    def root_user(self, account_id: str) -> RootUser:
        """A snapshot of the root user of ``account_id`` (see ``World.root_user``)."""
        return self.world.root_user(account_id)

    @property
    def calls(self) -> list[CallRecord]:
        """Every AWS call so far, in order (empty when records are off: see ``call_log``)."""
        return self.call_log.records

    def _running(self) -> Principals:
        if self._principals is None:
            raise RuntimeError("the simulator is not running: use it in a `with` block")
        return self._principals
