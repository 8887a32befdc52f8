// Bearer-token checks shared by the /v2 and /rest routes.

import type { IncomingMessage } from "node:http";
import { invalidAccessToken, revokedAccessToken } from "./errors";
import { bearerToken } from "./http";
import { findMember, type DemoMember } from "./members";
import type { EmulatorState } from "./state";
import type { AccessToken } from "./tokens";

export type Caller = { token: AccessToken; member: DemoMember };

/**
 * Returns the caller of a request, or throws the 401 ApiError that LinkedIn
 * sends: 65601 for a revoked token, 65600 for any other dead token.
 */
export function authenticate(
  state: EmulatorState,
  req: IncomingMessage,
): Caller {
  const value = bearerToken(req);
  const token = value ? state.tokens.accessTokens.get(value) : undefined;
  const member = token ? findMember(token.memberId) : undefined;
  if (!token || !member) throw invalidAccessToken();

  const { switches } = state;
  if (token.revoked || switches.revokedMembers.includes(member.id)) {
    throw revokedAccessToken();
  }
  const expired = state.clock.now() >= token.expiresAt;
  if (
    expired ||
    switches.expiredMembers.includes(member.id) ||
    state.tokens.isSuperseded(token)
  ) {
    throw invalidAccessToken();
  }
  return { token, member };
}
