"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import type { ExportPolicy, MetricsVisibility, Role } from "@/lib/db/schema";
import type { ActionResult } from "@/lib/result";
import type { InvitationSent } from "@/lib/team/delivery";
import { updateExportSettings, updateWorkspaceSettings } from "../actions";
import {
  changeMemberRole,
  inviteMember,
  leaveWorkspace,
  removeMember,
  resendInvitation,
  revokeInvitation,
} from "./actions";

type Member = {
  userId: string;
  name: string | null;
  email: string | null;
  role: Role;
  joinedAt: string;
  connectionCount: number;
};

type PendingInvitation = {
  id: string;
  email: string;
  role: Role;
  allowAnyEmail: boolean;
  expiresAt: string;
  invitedBy: string | null;
  expired: boolean;
};

type Props = {
  workspaceId: string;
  workspaceName: string;
  currentUserId: string;
  role: Role;
  grantableRoles: Role[];
  canEditSettings: boolean;
  settings: {
    metricsVisibility: MetricsVisibility;
    apiExportPolicy: ExportPolicy;
  };
  members: Member[];
  invitations: PendingInvitation[];
};

const VISIBILITY_LABELS: Record<MetricsVisibility, string> = {
  everyone: "Everyone sees every member's metrics",
  totals_and_own: "Members see the workspace totals plus their own",
  own: "Members see only their own metrics",
};

const EXPORT_POLICY_LABELS: Record<ExportPolicy, string> = {
  admins_and_own:
    "Owners and admins export everything; others only their own connections",
  everyone: "Everyone who can see the numbers may export them",
  nobody: "Nobody exports numbers from LinkedIn's API",
};

function formText(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

export function TeamClient(props: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<InvitationSent | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  // A role picked in a member's dropdown, applied only after confirmation,
  // because arrowing through a closed select fires a change per option.
  const [roleChange, setRoleChange] = useState<{
    userId: string;
    role: Role;
  } | null>(null);
  const { workspaceId } = props;

  function run<T>(
    action: () => Promise<ActionResult<T>>,
    onDone: (data: T) => void,
  ) {
    setError(null);
    setMessage(null);
    startTransition(async () => {
      const result = await action();
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      onDone(result.data);
      router.refresh();
    });
  }

  function showSent(data: InvitationSent) {
    setSent(data);
    setMessage(
      data.emailed
        ? `Invitation emailed to ${data.email}.`
        : `No mail server is configured, so copy the link below and send it to ${data.email}.`,
    );
  }

  function invite(formData: FormData) {
    run(
      () =>
        inviteMember({
          workspaceId,
          email: formText(formData, "email"),
          role: formText(formData, "role"),
          allowAnyEmail: formData.get("allowAnyEmail") === "on",
        }),
      showSent,
    );
  }

  const others = props.members.filter(
    (member) => member.userId !== props.currentUserId,
  );

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Team of {props.workspaceName}</h1>
      {message ? (
        <p role="status" className="rounded-md bg-surface-muted p-3 text-sm">
          {message}
        </p>
      ) : null}
      {sent?.link ? (
        <p className="text-sm">
          <label htmlFor="invitation-link" className="font-medium">
            Invitation link
          </label>{" "}
          <input
            id="invitation-link"
            readOnly
            value={sent.link}
            className="w-full rounded-md border border-border bg-surface px-2 py-1 font-mono text-xs"
            onFocus={(event) => event.target.select()}
          />
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="rounded-md bg-danger-surface p-3 text-sm">
          {error}
        </p>
      ) : null}

      <Card className="space-y-3" aria-labelledby="invite-heading">
        <h2 id="invite-heading" className="font-medium">
          Invite a member
        </h2>
        <form action={invite} className="flex flex-wrap items-end gap-3">
          <label className="flex flex-col text-sm">
            Email
            <input
              name="email"
              type="email"
              required
              className="rounded-md border border-border bg-surface px-2 py-1"
            />
          </label>
          <label className="flex flex-col text-sm">
            Role
            <select
              name="role"
              defaultValue="marketer"
              className="rounded-md border border-border bg-surface px-2 py-1"
            >
              {props.grantableRoles.map((role) => (
                <option key={role} value={role}>
                  {role}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-1 text-sm">
            <input name="allowAnyEmail" type="checkbox" />
            Allow any email address to accept
          </label>
          <Button type="submit" disabled={pending}>
            Send invitation
          </Button>
        </form>
        <p className="text-xs text-muted">
          The link works once and expires after 7 days.
        </p>
      </Card>

      <Card className="space-y-3" aria-labelledby="invitations-heading">
        <h2 id="invitations-heading" className="font-medium">
          Pending invitations
        </h2>
        {props.invitations.length === 0 ? (
          <p className="text-sm text-muted">No pending invitations.</p>
        ) : (
          <ul className="divide-y divide-border">
            {props.invitations.map((invitation) => (
              <li
                key={invitation.id}
                aria-label={`Invitation for ${invitation.email}`}
                className="flex flex-wrap items-center gap-3 py-2 text-sm"
              >
                <span className="font-medium">{invitation.email}</span>
                <span>{invitation.role}</span>
                <span className="text-muted">
                  {invitation.expired
                    ? "expired"
                    : `expires ${day(invitation.expiresAt)}`}
                  {invitation.allowAnyEmail ? ", any address" : ""}
                </span>
                <span className="ml-auto flex gap-2">
                  <Button
                    variant="secondary"
                    disabled={pending}
                    onClick={() =>
                      run(
                        () =>
                          resendInvitation({
                            workspaceId,
                            invitationId: invitation.id,
                          }),
                        showSent,
                      )
                    }
                  >
                    Resend
                  </Button>
                  <Button
                    variant="ghost"
                    disabled={pending}
                    onClick={() =>
                      run(
                        () =>
                          revokeInvitation({
                            workspaceId,
                            invitationId: invitation.id,
                          }),
                        () =>
                          setMessage(
                            `Invitation for ${invitation.email} revoked.`,
                          ),
                      )
                    }
                  >
                    Revoke
                  </Button>
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card className="space-y-3" aria-labelledby="members-heading">
        <h2 id="members-heading" className="font-medium">
          Members
        </h2>
        <ul className="divide-y divide-border">
          {props.members.map((member) => {
            const label = member.name ?? member.email ?? member.userId;
            const self = member.userId === props.currentUserId;
            const outranked =
              !props.grantableRoles.includes(member.role) && !self;
            return (
              <li
                key={member.userId}
                aria-label={label}
                data-testid="member"
                className="space-y-2 py-2 text-sm"
              >
                <div className="flex flex-wrap items-center gap-3">
                  <span className="font-medium">{label}</span>
                  <span className="text-muted">{member.email}</span>
                  <label className="ml-auto flex items-center gap-1">
                    <span className="sr-only">Role of {label}</span>
                    <select
                      value={
                        roleChange?.userId === member.userId
                          ? roleChange.role
                          : member.role
                      }
                      disabled={pending || outranked}
                      onChange={(event) => {
                        const role = event.target.value as Role;
                        setRoleChange(
                          role === member.role
                            ? null
                            : { userId: member.userId, role },
                        );
                      }}
                      className="rounded-md border border-border bg-surface px-2 py-1"
                    >
                      {(outranked ? [member.role] : props.grantableRoles).map(
                        (role) => (
                          <option key={role} value={role}>
                            {role}
                          </option>
                        ),
                      )}
                    </select>
                  </label>
                  {self ? (
                    <Button
                      variant="ghost"
                      disabled={pending || roleChange?.userId === member.userId}
                      onClick={() => setConfirming(member.userId)}
                    >
                      Leave workspace
                    </Button>
                  ) : (
                    <Button
                      variant="ghost"
                      disabled={
                        pending ||
                        outranked ||
                        roleChange?.userId === member.userId
                      }
                      onClick={() => setConfirming(member.userId)}
                    >
                      Remove
                    </Button>
                  )}
                </div>
                {roleChange?.userId === member.userId ? (
                  <div
                    role="group"
                    aria-label={`Confirm role change for ${label}`}
                    className="space-y-2 rounded-md bg-surface-muted p-3"
                  >
                    <p>
                      Change the role of {label} from {member.role} to{" "}
                      {roleChange.role}?
                      {roleChange.role === "owner"
                        ? " An owner has every permission in this workspace, including its settings."
                        : ""}
                    </p>
                    <div className="flex gap-2">
                      <Button
                        disabled={pending}
                        onClick={() => {
                          const { role } = roleChange;
                          run(
                            () =>
                              changeMemberRole({
                                workspaceId,
                                userId: member.userId,
                                role,
                              }),
                            () => {
                              setRoleChange(null);
                              setMessage(
                                `${label} is now ${role} (was ${member.role}).`,
                              );
                            },
                          );
                        }}
                      >
                        Change role
                      </Button>
                      <Button
                        variant="secondary"
                        onClick={() => setRoleChange(null)}
                      >
                        Cancel
                      </Button>
                    </div>
                  </div>
                ) : null}
                {confirming === member.userId ? (
                  <div
                    role="group"
                    aria-label={`Confirm removing ${label}`}
                    className="space-y-2 rounded-md bg-surface-muted p-3"
                  >
                    <p>
                      {self ? "You lose" : `${label} loses`} access to this
                      workspace at once.{" "}
                      {member.connectionCount === 0
                        ? "No LinkedIn connection was added by them, so no data leaves the workspace."
                        : `Their ${member.connectionCount} LinkedIn connection${member.connectionCount === 1 ? "" : "s"} and every metric stored for ${member.connectionCount === 1 ? "it" : "them"} leave this workspace; their other workspaces keep theirs.`}
                    </p>
                    <div className="flex gap-2">
                      <Button
                        disabled={pending}
                        onClick={() =>
                          self
                            ? run(
                                () => leaveWorkspace({ workspaceId }),
                                () => router.push("/dashboard"),
                              )
                            : run(
                                () =>
                                  removeMember({
                                    workspaceId,
                                    userId: member.userId,
                                  }),
                                () => {
                                  setConfirming(null);
                                  setMessage(`${label} was removed.`);
                                },
                              )
                        }
                      >
                        {self ? "Confirm leaving" : "Confirm removal"}
                      </Button>
                      <Button
                        variant="secondary"
                        onClick={() => setConfirming(null)}
                      >
                        Cancel
                      </Button>
                    </div>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
        {others.length === 0 ? (
          <p className="text-sm text-muted">
            You are the only member. Invite someone above.
          </p>
        ) : null}
      </Card>

      {props.canEditSettings ? (
        <Card className="space-y-3" aria-labelledby="settings-heading">
          <h2 id="settings-heading" className="font-medium">
            Who can see whose numbers
          </h2>
          <p className="text-xs text-muted">
            Applies to marketers and viewers; owners and admins always see every
            member&apos;s metrics.
          </p>
          <fieldset className="space-y-1 text-sm">
            <legend className="sr-only">Metrics visibility</legend>
            {(Object.keys(VISIBILITY_LABELS) as MetricsVisibility[]).map(
              (value) => (
                <label key={value} className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="metricsVisibility"
                    value={value}
                    checked={props.settings.metricsVisibility === value}
                    disabled={pending}
                    onChange={() =>
                      run(
                        () =>
                          updateWorkspaceSettings({
                            workspaceId,
                            metricsVisibility: value,
                          }),
                        () => setMessage("Visibility saved."),
                      )
                    }
                  />
                  {VISIBILITY_LABELS[value]}
                </label>
              ),
            )}
          </fieldset>
        </Card>
      ) : null}

      {props.canEditSettings ? (
        <Card className="space-y-3" aria-labelledby="export-heading">
          <h2 id="export-heading" className="font-medium">
            Who can export numbers from LinkedIn&apos;s API
          </h2>
          <p className="text-xs text-muted">
            LinkedIn&apos;s terms restrict exporting member data, so this
            decides who may download CSV and PNG exports of the dashboard and
            the metrics CSV. Numbers imported from LinkedIn&apos;s export files
            can always be exported by whoever imported them.
          </p>
          <fieldset className="space-y-1 text-sm">
            <legend className="sr-only">Export of API numbers</legend>
            {(Object.keys(EXPORT_POLICY_LABELS) as ExportPolicy[]).map(
              (value) => (
                <label key={value} className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="apiExportPolicy"
                    value={value}
                    checked={props.settings.apiExportPolicy === value}
                    disabled={pending}
                    onChange={() =>
                      run(
                        () =>
                          updateExportSettings({
                            workspaceId,
                            apiExportPolicy: value,
                          }),
                        () => setMessage("Export setting saved."),
                      )
                    }
                  />
                  {EXPORT_POLICY_LABELS[value]}
                </label>
              ),
            )}
          </fieldset>
        </Card>
      ) : null}
    </div>
  );
}
