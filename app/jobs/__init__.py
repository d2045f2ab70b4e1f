"""The app's scheduled jobs, their settings and the lease; scheduling.runner runs them."""
