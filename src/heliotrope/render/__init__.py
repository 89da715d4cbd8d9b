"""Renderers: text (rich), JSON, HTML, plots. No evaluation logic lives here."""
