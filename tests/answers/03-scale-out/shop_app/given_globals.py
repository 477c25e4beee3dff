# expect: shop_round_robin=0 shop_random_scaling=0
# reason: state_not_shared
"""The shop as given: three dicts in the process's memory."""
DOWNLOAD_LIMIT = 3
views = {}  # user -> number of product pages viewed
recent = {}  # user -> the last 3 products viewed, newest first
downloads = {}  # user -> free downloads used


def view(user, product):
    views[user] = views.get(user, 0) + 1
    seen = [p for p in recent.get(user, []) if p != product]
    recent[user] = [product, *seen][:3]
    return views[user]


def recently_viewed(user):
    return list(recent.get(user, []))


def free_download(user):
    if downloads.get(user, 0) >= DOWNLOAD_LIMIT:
        return False
    downloads[user] = downloads.get(user, 0) + 1
    return True
