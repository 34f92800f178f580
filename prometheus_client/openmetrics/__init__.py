"""OpenMetrics: the exposition format (``exposition``) and its parser (``parser``)."""
