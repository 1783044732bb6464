#!/usr/bin/env bash
# One-time setup of the pipeline's two IAM roles in the management account, run by an
# administrator (AWS CLI, Terraform, python3) from the Terraform configuration's directory:
#
#   cd examples/pipelines/terraform && ../bootstrap.sh github OWNER/REPO
#   cd examples/pipelines/terraform && ../bootstrap.sh gitlab GROUP/PROJECT
#
# 1. the IAM OIDC identity provider of GitHub Actions or gitlab.com (kept if present);
# 2. roles root-access-plan and root-access-apply trusting it (trust-policies/<ci>-*.json);
# 3. their permission policies, from the root module's pipeline_policies output read in
#    a plan: plan role audit-only (plan on pull/merge requests, drift); apply role enable,
#    delete and unlock (see policies/README.md).
# It prints the two role ARNs to store as ROOT_ACCESS_PLAN_ROLE_ARN / _APPLY_ROLE_ARN.
# Reruns are safe: existing roles get the trust and permission policies again.
set -euo pipefail

usage="usage: bootstrap.sh github|gitlab OWNER/REPO (GitLab: GROUP/PROJECT)"
[ $# -eq 2 ] || { echo "$usage" >&2; exit 2; }
ci=$1 repository=$2
case $ci in
  github) url=https://token.actions.githubusercontent.com audience=sts.amazonaws.com ;;
  gitlab) url=https://gitlab.com audience=https://gitlab.com ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
case $repository in
  */*) ;;
  *) echo "bootstrap.sh: repository must be OWNER/REPO, got '$repository'" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

account_id=$(aws sts get-caller-identity --query Account --output text)
provider_arn="arn:aws:iam::${account_id}:oidc-provider/${url#https://}"
if ! aws iam get-open-id-connect-provider --open-id-connect-provider-arn "$provider_arn" >/dev/null 2>&1; then
  aws iam create-open-id-connect-provider --url "$url" --client-id-list "$audience" >/dev/null
fi

# pipeline_policies is known at plan (file contents): read it from the plan's JSON.
terraform init -input=false >/dev/null
terraform plan -input=false -lock=false -out="$work/bootstrap.tfplan" >/dev/null
terraform show -json "$work/bootstrap.tfplan" > "$work/plan.json"
python3 - "$work" <<'PY'
import json, pathlib, sys
work = pathlib.Path(sys.argv[1])
plan = json.loads((work / "plan.json").read_text())
policies = plan["output_changes"]["root_access"]["after"]["pipeline_policies"]
for mode, document in policies.items():
    (work / f"{mode}.json").write_text(document)
PY

for role in plan apply; do
  sed -e "s|<ACCOUNT_ID>|${account_id}|g" -e "s|<REPOSITORY>|${repository}|g" \
    "$here/trust-policies/${ci}-${role}.json" > "$work/trust-${role}.json"
  if aws iam get-role --role-name "root-access-${role}" >/dev/null 2>&1; then
    aws iam update-assume-role-policy --role-name "root-access-${role}" \
      --policy-document "file://$work/trust-${role}.json"
  else
    aws iam create-role --role-name "root-access-${role}" \
      --description "root-access pipeline (${role}) for ${repository}" \
      --assume-role-policy-document "file://$work/trust-${role}.json" >/dev/null
  fi
done
aws iam put-role-policy --role-name root-access-plan --policy-name root-access-audit-only \
  --policy-document "file://$work/audit-only.json"
for mode in enable delete unlock; do
  aws iam put-role-policy --role-name root-access-apply --policy-name "root-access-${mode}" \
    --policy-document "file://$work/${mode}.json"
done

echo "ROOT_ACCESS_PLAN_ROLE_ARN=arn:aws:iam::${account_id}:role/root-access-plan"
echo "ROOT_ACCESS_APPLY_ROLE_ARN=arn:aws:iam::${account_id}:role/root-access-apply"
