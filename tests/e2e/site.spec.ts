// Site-wide features: search and the theme.
import { expect, test } from "./fixtures.ts";

test("search finds the welcome lesson", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: /search/i }).first().click();
  const box = page.getByRole("searchbox", { name: /search lessons/i }).or(page.getByLabel(/search lessons/i)).first();
  // A word only the welcome lesson uses (every lesson talks about sidecars now).
  await box.fill("hello-mesh");
  const result = page.getByRole("dialog").getByRole("link", { name: /Welcome to your sandbox/ }).first();
  await expect(result).toBeVisible();
  await result.click();
  await expect(page).toHaveURL(/\/lessons\/welcome\//);
});

test("the theme toggle switches between light and dark and is remembered", async ({ page }) => {
  await page.goto("/");
  const html = page.locator("html");
  const initial = await html.getAttribute("data-theme");
  expect(["light", "dark"]).toContain(initial);
  await page.getByRole("button", { name: "Toggle theme" }).click();
  const flipped = initial === "dark" ? "light" : "dark";
  await expect(html).toHaveAttribute("data-theme", flipped);
  await page.reload();
  await expect(html).toHaveAttribute("data-theme", flipped);
});

test("an unknown page gets the 404 page", async ({ page }) => {
  const response = await page.goto("/no-such-lesson/");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});
