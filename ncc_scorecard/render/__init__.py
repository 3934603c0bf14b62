"""Turning computed reports into files: JSON, CSV, HTML and PDF."""
