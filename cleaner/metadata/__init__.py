"""Page metadata: title, author, date, site name, description."""
