"""stub"""
SCENARIOS = {}
