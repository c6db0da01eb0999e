"""Real-browser tests of the built book (Playwright driving Debian's Chromium)."""
