import { describe, expect, it } from "vitest";
import {
  ANALYTICS_SCOPES,
  SCOPES,
  SIGN_IN_SCOPES,
  metricsEnabledBy,
  metricsOfScope,
  missingScopes,
  parseGrantedScopes,
} from "./scopes";

describe("parseGrantedScopes", () => {
  it("splits commas", () => {
    expect(parseGrantedScopes("email,openid,profile")).toEqual([
      "email",
      "openid",
      "profile",
    ]);
  });

  it("accepts spaces and duplicates", () => {
    expect(parseGrantedScopes(" openid, profile openid ")).toEqual([
      "openid",
      "profile",
    ]);
  });

  it("returns nothing for null", () => {
    expect(parseGrantedScopes(null)).toEqual([]);
  });
});

describe("missingScopes", () => {
  it("lists what is missing", () => {
    expect(missingScopes([...SIGN_IN_SCOPES], ANALYTICS_SCOPES)).toEqual([
      ...ANALYTICS_SCOPES,
    ]);
  });

  it("accepts r_organization_admin for rw", () => {
    expect(
      missingScopes(["r_organization_admin"], ["rw_organization_admin"]),
    ).toEqual([]);
  });

  it("rw does not cover r scope", () => {
    expect(
      missingScopes(["rw_organization_admin"], ["r_organization_admin"]),
    ).toEqual(["r_organization_admin"]);
  });
});

describe("metricsEnabledBy", () => {
  it("gives nothing for sign-in scopes", () => {
    expect(metricsEnabledBy([...SIGN_IN_SCOPES], "person")).toEqual([]);
  });

  it("maps post analytics for a person", () => {
    expect(metricsEnabledBy(["r_member_postAnalytics"], "person")).toEqual([
      "impressions",
      "members_reached",
      "reactions",
      "comments",
      "reshares",
    ]);
  });

  it("maps page admin for an organization", () => {
    expect(metricsEnabledBy(["rw_organization_admin"], "organization")).toEqual(
      [
        "impressions",
        "reactions",
        "comments",
        "reshares",
        "follower_gains",
        "page_views",
      ],
    );
  });

  it("maps profile analytics to follower gains", () => {
    expect(metricsOfScope("r_member_profileAnalytics").person).toEqual([
      "follower_gains",
    ]);
  });
});

describe("SCOPES", () => {
  it("marks legacy scopes deprecated", () => {
    expect(SCOPES.r_liteprofile.deprecated).toBe(true);
    expect(SCOPES.r_emailaddress.deprecated).toBe(true);
    expect(SCOPES.openid.deprecated).toBe(false);
  });

  it("describes every requested scope", () => {
    for (const name of [...SIGN_IN_SCOPES, ...ANALYTICS_SCOPES]) {
      expect(SCOPES[name].description, name).not.toBe("");
    }
  });
});
