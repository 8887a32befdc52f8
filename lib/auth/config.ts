import NextAuth, { type NextAuthConfig } from "next-auth";
import LinkedIn from "next-auth/providers/linkedin";
import type { Logger } from "pino";
import { db, type Database } from "../db/client";
import { env, type Env } from "../env";
import { verifyIdToken } from "../linkedin/oauth";
import { logger } from "../log";
import { inviewAdapter } from "./adapter";
import {
  SESSION_MAX_AGE_SECONDS,
  SESSION_UPDATE_AGE_SECONDS,
} from "./session-lookup";
import { reportAuthError, SIGN_IN_PATH } from "./sign-in-failure";

/** Sign-in asks for these scopes and nothing more; analytics scopes come later, after consent. */
export const SIGN_IN_SCOPE = "openid profile email";

type SignInAccount = {
  provider: string;
  providerAccountId: string;
  id_token?: string;
};

/**
 * Verifies the sign-in id_token's signature against LinkedIn's JWKS.
 * Auth.js checks its issuer, audience and expiry but not its signature,
 * because the OpenID Connect core spec lets a client trust a token that came
 * straight from the token endpoint over TLS.
 */
async function verifySignInIdToken(
  account: SignInAccount,
  linkedin: Env["linkedin"],
): Promise<void> {
  if (!account.id_token) {
    throw new Error("LinkedIn's token response has no id_token");
  }
  const sub = await verifyIdToken(account.id_token, linkedin);
  if (sub !== account.providerAccountId) {
    throw new Error("The id_token's sub differs from the signed-in account");
  }
}

/** Builds the Auth.js configuration for a database and an environment. */
export function authConfig(
  database: Database,
  config: Env,
  log: Logger = logger(),
): NextAuthConfig {
  return {
    adapter: inviewAdapter(database),
    secret: config.authSecret,
    trustHost: true,
    // From APP_URL, not from the request, so a proxy that terminates TLS
    // without sending x-forwarded-proto still gets Secure cookies.
    useSecureCookies: config.appUrl.startsWith("https://"),
    // getSessionUser reads sessions with the same two ages.
    session: {
      strategy: "database",
      maxAge: SESSION_MAX_AGE_SECONDS,
      updateAge: SESSION_UPDATE_AGE_SECONDS,
    },
    pages: { signIn: SIGN_IN_PATH, error: SIGN_IN_PATH },
    providers: [
      LinkedIn({
        clientId: config.linkedin.clientId,
        clientSecret: config.linkedin.clientSecret,
        issuer: `${config.linkedin.oauthBase}/oauth`,
        authorization: { params: { scope: SIGN_IN_SCOPE } },
      }),
    ],
    callbacks: {
      // Runs before Auth.js writes the user or the account, so a rejected
      // id_token leaves both tables untouched.
      async signIn({ account }) {
        if (account?.provider === "linkedin") {
          await verifySignInIdToken(account, config.linkedin);
        }
        return true;
      },
    },
    logger: {
      error(error) {
        reportAuthError(error, log);
      },
      warn(code) {
        log.warn({ code }, "auth warning");
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() =>
  authConfig(db(), env()),
);
