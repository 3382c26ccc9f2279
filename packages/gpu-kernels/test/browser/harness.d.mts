import type { Page } from 'playwright-core';
export declare const CHROMIUM: string;
export declare const CHROMIUM_ARGS: string[];
export declare const skipBrowser: boolean;
export declare function openPage(entry: string): Promise<{ page: Page; close: () => Promise<void>; console: string[] }>;
