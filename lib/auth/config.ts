import NextAuth from "next-auth";
import LinkedIn from "next-auth/providers/linkedin";
import { db } from "../db/client";
import { env } from "../env";
import { logger } from "../log";
import { inviewAdapter } from "./adapter";

declare module "next-auth" {
  interface Session {
    /** When this device signed in, ISO 8601. */
    signedInAt?: string;
  }
}

/** Sign-in asks for these scopes and nothing more; analytics scopes come later, after consent. */
export const SIGN_IN_SCOPE = "openid profile email";

export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const config = env();
  return {
    adapter: inviewAdapter(db()),
    secret: config.authSecret,
    trustHost: true,
    session: { strategy: "database", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      LinkedIn({
        clientId: config.linkedin.clientId,
        clientSecret: config.linkedin.clientSecret,
        issuer: `${config.linkedin.oauthBase}/oauth`,
        authorization: { params: { scope: SIGN_IN_SCOPE } },
      }),
    ],
    callbacks: {
      session({ session, user }) {
        session.user.id = user.id;
        // The database session row carries its creation time: the sign-in.
        const createdAt = (session as { createdAt?: unknown }).createdAt;
        session.signedInAt =
          createdAt instanceof Date ? createdAt.toISOString() : undefined;
        return session;
      },
    },
    logger: {
      error(error) {
        logger().warn(
          { err: { name: error.name, message: error.message } },
          "auth error",
        );
      },
      warn(code) {
        logger().warn({ code }, "auth warning");
      },
    },
  };
});
