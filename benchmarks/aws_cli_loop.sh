#!/usr/bin/env bash
# Approach (b): the AWS CLI loop users write without a tool. Sequential: for each
# ACTIVE member account, `aws sts assume-root` with the audit task policy, then the
# same reads the engine makes by default: get-account-summary, and only for the kinds
# whose root flag is not 0 get-login-profile [+ get-user], list-access-keys
# [+ get-access-key-last-used per key], list-signing-certificates, list-mfa-devices;
# one `aws` process per call.
#
# Usage: AWS_CLI=/path/to/aws aws_cli_loop.sh [DEADLINE_EPOCH_SECONDS]
# The caller's AWS_* environment points at the account that runs the loop. The session
# credentials go through a 0600 temporary file that is deleted at once and then into
# the environment of a subshell: never argv, never stdout. Prints "done <id>" per
# account audited and "failed <id>" per account whose calls failed; once DEADLINE (epoch
# seconds, 0 = none) has passed it stops after the account in hand (at least one runs).
set -u -o pipefail
umask 077

aws_cli=${AWS_CLI:-aws}
deadline=${1:-0}
task_arn="arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"
management=$("$aws_cli" organizations describe-organization \
  --query Organization.MasterAccountId --output text) || exit 2
accounts=$("$aws_cli" organizations list-accounts \
  --query "Accounts[?Status=='ACTIVE'].Id" --output text) || exit 2

audit_one() {
  local account=$1 secrets keys key flags password access_keys certificates mfa
  secrets=$(mktemp) || return 1
  if ! "$aws_cli" sts assume-root --target-principal "$account" \
    --task-policy-arn "arn=$task_arn" \
    --query "Credentials.[AccessKeyId,SecretAccessKey,SessionToken]" \
    --output text >"$secrets"; then
    rm -f "$secrets"
    return 1
  fi
  read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN <"$secrets"
  rm -f "$secrets"
  export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
  # The four root flags in one line; a missing key prints None and is read, never taken for 0.
  flags=$("$aws_cli" iam get-account-summary --output text --query \
    "SummaryMap.[AccountPasswordPresent,AccountAccessKeysPresent,AccountSigningCertificatesPresent,AccountMFAEnabled]") ||
    return 1
  read -r password access_keys certificates mfa <<<"$flags"
  if [ "$password" != 0 ] && "$aws_cli" iam get-login-profile >/dev/null 2>&1; then
    "$aws_cli" iam get-user >/dev/null || return 1
  fi
  if [ "$access_keys" != 0 ]; then
    keys=$("$aws_cli" iam list-access-keys \
      --query "AccessKeyMetadata[].AccessKeyId" --output text) || return 1
    for key in $keys; do
      "$aws_cli" iam get-access-key-last-used --access-key-id "$key" >/dev/null || return 1
    done
  fi
  if [ "$certificates" != 0 ]; then
    "$aws_cli" iam list-signing-certificates >/dev/null || return 1
  fi
  if [ "$mfa" != 0 ]; then
    "$aws_cli" iam list-mfa-devices >/dev/null || return 1
  fi
}

for account in $accounts; do
  [ "$account" = "$management" ] && continue
  # A subshell per account: the session's variables never outlive it.
  if (audit_one "$account"); then
    echo "done $account"
  else
    echo "failed $account"
  fi
  if [ "$deadline" != 0 ] && [ "$(date +%s)" -ge "$deadline" ]; then
    break
  fi
done
