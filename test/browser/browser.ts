import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/** Where browser tests put their screenshots (a CI artifact). */
export const SHOTS = join(process.cwd(), "test-results", "screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Debian's chromium, headless, with nothing that reaches the network on its own. */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Waits until requests, spinners and antd's open/close animations are done,
 * so screenshots show the page as a user sees it. Only screenshots depend on it.
 */
export async function settledPage(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(
    () =>
      !document.querySelector(".ant-spin-spinning") &&
      !document.querySelector(".ant-dropdown:not(.ant-dropdown-hidden)") &&
      document.getAnimations().every((a) => {
        if (a.playState !== "running") return true;
        // Ones that never end (a "processing" badge's ripple) are part of the still page.
        if (a.effect?.getTiming().iterations === Infinity) return true;
        // A spinner left inside an antd leave transition (opacity 0, width 0) can keep spinning when the
        // transition's end event is missed on a busy machine: invisible, so not a reason to wait.
        const target = (a.effect as KeyframeEffect | null)?.target;
        return target instanceof Element && target.closest("[class*='-motion-leave']") !== null;
      }),
    undefined,
    { timeout: 10_000 },
  );
}
