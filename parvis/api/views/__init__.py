"""Views of the API: parse the request, call a selector or an action, render JSON."""
