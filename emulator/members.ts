// The demo members and company pages that the emulator serves.

import { createHmac } from "node:crypto";

export type DemoOrganization = {
  id: number;
  localizedName: string;
  vanityName: string;
  /** Average daily impressions of the page's posts. */
  postActivity: number;
  /** Average daily page views over all sections. */
  pageViewActivity: number;
  /** Average daily organic follower gains. */
  followerActivity: number;
  /** Followers the page had before the emulator's data starts. */
  followerBase: number;
};

export type DemoMember = {
  /** Stable id used by the control API and the fault switches. */
  id: string;
  givenName: string;
  familyName: string;
  email: string;
  headline: string;
  vanityName: string;
  /** Ids of the pages on which the member has the ADMINISTRATOR role. */
  administeredOrganizations: number[];
  /** Average daily impressions of the member's posts. */
  postActivity: number;
  /** Followers the member had before the emulator's data starts. */
  followerBase: number;
};

export const DEMO_ORGANIZATIONS: readonly DemoOrganization[] = [
  {
    id: 2414183,
    localizedName: "Analytical Engines",
    vanityName: "analytical-engines",
    postActivity: 2400,
    pageViewActivity: 180,
    followerActivity: 9,
    followerBase: 4200,
  },
  {
    id: 5027390,
    localizedName: "Bletchley Codebreakers",
    vanityName: "bletchley-codebreakers",
    postActivity: 900,
    pageViewActivity: 70,
    followerActivity: 3,
    followerBase: 1300,
  },
  {
    id: 7142857,
    localizedName: "Langley Computing",
    vanityName: "langley-computing",
    postActivity: 1500,
    pageViewActivity: 110,
    followerActivity: 5,
    followerBase: 2100,
  },
];

export const DEMO_MEMBERS: readonly DemoMember[] = [
  {
    id: "ada",
    givenName: "Ada",
    familyName: "Lovelace",
    email: "ada@example.com",
    headline: "Founder at Analytical Engines",
    vanityName: "ada-lovelace",
    administeredOrganizations: [2414183],
    postActivity: 1200,
    followerBase: 2800,
  },
  {
    id: "grace",
    givenName: "Grace",
    familyName: "Hopper",
    email: "grace@example.com",
    headline: "Compiler engineer",
    vanityName: "grace-hopper",
    administeredOrganizations: [],
    postActivity: 450,
    followerBase: 900,
  },
  {
    id: "alan",
    givenName: "Alan",
    familyName: "Turing",
    email: "alan@example.com",
    headline: "Head of research at Bletchley Codebreakers",
    vanityName: "alan-turing",
    administeredOrganizations: [5027390],
    postActivity: 2000,
    followerBase: 5100,
  },
  {
    id: "katherine",
    givenName: "Katherine",
    familyName: "Johnson",
    email: "katherine@example.com",
    headline: "Lead analyst at Langley Computing",
    vanityName: "katherine-johnson",
    administeredOrganizations: [7142857],
    postActivity: 1600,
    followerBase: 3300,
  },
];

export function fullName(member: DemoMember): string {
  return `${member.givenName} ${member.familyName}`;
}

const SUB_ALPHABET =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * Derives the member's `sub` for one app. LinkedIn's subject ids are pairwise,
 * so two apps see different ids for the same member.
 */
export function pairwiseSub(clientId: string, memberId: string): string {
  const digest = createHmac("sha256", clientId).update(memberId).digest();
  let sub = "";
  for (let i = 0; i < 10; i++) {
    sub += SUB_ALPHABET[(digest[i] ?? 0) % SUB_ALPHABET.length];
  }
  return sub;
}

export function personUrn(clientId: string, member: DemoMember): string {
  return `urn:li:person:${pairwiseSub(clientId, member.id)}`;
}

export function organizationUrn(organization: DemoOrganization): string {
  return `urn:li:organization:${organization.id}`;
}

export function findMember(memberId: string): DemoMember | undefined {
  return DEMO_MEMBERS.find((member) => member.id === memberId);
}

export function findMemberByUrn(
  clientId: string,
  urn: string,
): DemoMember | undefined {
  return DEMO_MEMBERS.find((member) => personUrn(clientId, member) === urn);
}

export function findOrganization(id: number): DemoOrganization | undefined {
  return DEMO_ORGANIZATIONS.find((organization) => organization.id === id);
}

/** Parses `urn:li:organization:{id}` into a known page, if there is one. */
export function findOrganizationByUrn(
  urn: string,
): DemoOrganization | undefined {
  const match = /^urn:li:organization:(\d+)$/.exec(urn);
  return match ? findOrganization(Number(match[1])) : undefined;
}
