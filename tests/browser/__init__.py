"""The web inspector in a real, headless Chromium."""
