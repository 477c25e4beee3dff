# expect: shop_round_robin=0 shop_random_scaling=0
# reason: state_not_shared
"""A tidy "store" class: its class attributes are still memory of one process."""
DOWNLOAD_LIMIT = 3


class Store:
    views: dict = {}
    recent: dict = {}
    downloads: dict = {}

    @classmethod
    def count_view(cls, user, product):
        cls.views[user] = cls.views.get(user, 0) + 1
        cls.recent[user] = [product, *[p for p in cls.recent.get(user, []) if p != product]][:3]
        return cls.views[user]


def view(user, product):
    return Store.count_view(user, product)


def recently_viewed(user):
    return list(Store.recent.get(user, []))


def free_download(user):
    used = Store.downloads.get(user, 0)
    Store.downloads[user] = used + 1
    return used < DOWNLOAD_LIMIT
