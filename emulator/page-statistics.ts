// The `totalPageStatistics` record of organizationPageStatistics.

import { PAGE_SECTIONS, allPageViews, type PageViewCounts } from "./data";

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function addPageViews(
  total: PageViewCounts,
  day: PageViewCounts,
): PageViewCounts {
  const sum = {} as PageViewCounts;
  for (const section of PAGE_SECTIONS) {
    sum[section] = {
      desktop: total[section].desktop + day[section].desktop,
      mobile: total[section].mobile + day[section].mobile,
    };
  }
  return sum;
}

function sumDevice(counts: PageViewCounts, device: "desktop" | "mobile") {
  return PAGE_SECTIONS.reduce(
    (sum, section) => sum + counts[section][device],
    0,
  );
}

// Careers-page clicks as a share of the jobs-section views.
function careersClicks(views: { desktop: number; mobile: number }) {
  const clicks = (share: number, device: "desktop" | "mobile") =>
    Math.round(views[device] * share);
  return {
    careersPageClicks: {
      careersPageJobsClicks: clicks(0.3, "desktop"),
      careersPagePromoLinksClicks: clicks(0.05, "desktop"),
      careersPageBannerPromoClicks: clicks(0.03, "desktop"),
      careersPageEmployeesClicks: clicks(0.04, "desktop"),
    },
    mobileCareersPageClicks: {
      careersPageJobsClicks: clicks(0.3, "mobile"),
      careersPagePromoLinksClicks: clicks(0.05, "mobile"),
      careersPageBannerPromoClicks: clicks(0.03, "mobile"),
      careersPageEmployeesClicks: clicks(0.04, "mobile"),
    },
  };
}

/**
 * Builds `totalPageStatistics`. Per section, desktop plus mobile equals the
 * section's total, and the sections add up to `allPageViews`.
 */
export function totalPageStatistics(counts: PageViewCounts) {
  const views: Record<string, { pageViews: number }> = {
    allPageViews: { pageViews: allPageViews(counts) },
    allDesktopPageViews: { pageViews: sumDevice(counts, "desktop") },
    allMobilePageViews: { pageViews: sumDevice(counts, "mobile") },
  };
  for (const section of PAGE_SECTIONS) {
    const { desktop, mobile } = counts[section];
    const name = capitalize(section);
    views[`${section}PageViews`] = { pageViews: desktop + mobile };
    views[`desktop${name}PageViews`] = { pageViews: desktop };
    views[`mobile${name}PageViews`] = { pageViews: mobile };
  }
  return { views, clicks: careersClicks(counts.jobs) };
}
