/** Flags that keep Chromium quiet on a machine without outside network. */
export declare const chromiumArgs: string[];
/** Path of a Chromium executable: $CHROMIUM_PATH, /usr/bin/chromium, or Playwright's own; throws with install advice otherwise. */
export declare function chromiumExecutable(): string;
