"""Views of the citizens' portal: they parse, call an action or a selector, and render."""
