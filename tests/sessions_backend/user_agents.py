"""Real User-Agents, browsers and feed readers, each with the label the session list should
show (tests/sessions_backend/test_devices.py; bench/devices.py compares labellers on them)."""

IPHONE = "(iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
ANDROID = "(Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko)"
WINDOWS = "(Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
MAC = "(Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko)"
LINUX = "(X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"

AGENTS = [
    # Browsers: the family and the platform, never a version.
    ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Linux"),
    (
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Firefox on Linux",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Firefox on Windows",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Firefox on macOS",
    ),
    ("Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", "Firefox on Android"),
    (f"Mozilla/5.0 {IPHONE} FxiOS/133.0 Mobile/15E148 Safari/605.1.15", "Firefox on iPhone"),
    ("Mozilla/5.0 (X11; FreeBSD amd64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on BSD"),
    (f"Mozilla/5.0 {WINDOWS} Chrome/131.0.0.0 Safari/537.36", "Chrome on Windows"),
    (f"Mozilla/5.0 {MAC} Chrome/131.0.0.0 Safari/537.36", "Chrome on macOS"),
    (f"Mozilla/5.0 {LINUX} Chrome/131.0.0.0 Safari/537.36", "Chrome on Linux"),
    (f"Mozilla/5.0 {ANDROID} Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome on Android"),
    (f"Mozilla/5.0 {IPHONE} CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1", "Chrome on iPhone"),
    (
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        "Chrome on ChromeOS",
    ),
    (f"Mozilla/5.0 {LINUX} HeadlessChrome/156.0.0.0 Safari/537.36", "Headless Chrome on Linux"),
    (f"Mozilla/5.0 {IPHONE} Version/18.1 Mobile/15E148 Safari/604.1", "Safari on iPhone"),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.7 Mobile/15E148 Safari/604.1",
        "Safari on iPad",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 Safari/605.1.15",
        "Safari on macOS",
    ),
    (f"Mozilla/5.0 {WINDOWS} Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge on Windows"),
    (f"Mozilla/5.0 {MAC} Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge on macOS"),
    (
        f"Mozilla/5.0 {ANDROID} Chrome/131.0.0.0 Mobile Safari/537.36 EdgA/131.0.0.0",
        "Edge on Android",
    ),
    (
        f"Mozilla/5.0 {IPHONE} Version/17.0 EdgiOS/131.2903.68 Mobile/15E148 Safari/605.1.15",
        "Edge on iPhone",
    ),
    (f"Mozilla/5.0 {WINDOWS} Chrome/70.0.3538.102 Safari/537.36 Edge/18.19045", "Edge on Windows"),
    (f"Mozilla/5.0 {WINDOWS} Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0", "Opera on Windows"),
    (
        f"Mozilla/5.0 {ANDROID} Chrome/130.0.0.0 Mobile Safari/537.36 OPR/86.0.0.0",
        "Opera on Android",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/27.0 Chrome/125.0.0.0 Mobile Safari/537.36",
        "Samsung Internet on Android",
    ),
    (f"Mozilla/5.0 {LINUX} Chrome/130.0.0.0 Safari/537.36 Vivaldi/7.0.3495.18", "Vivaldi on Linux"),
    (
        f"Mozilla/5.0 {WINDOWS} Chrome/128.0.0.0 YaBrowser/24.10.0.0 Safari/537.36",
        "Yandex Browser on Windows",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
        "Internet Explorer on Windows",
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.5.0",
        "Thunderbird on Linux",
    ),
    # Feed readers and tools: by name.
    ("NetNewsWire (RSS Reader; https://netnewswire.com/)", "NetNewsWire"),
    ("Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)", "Miniflux"),
    ("FreshRSS/1.24.3 (Linux; https://freshrss.org)", "FreshRSS"),
    ("Feedbin feed-id:1234567 - 12 subscribers", "Feedbin"),
    (
        "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 16 subscribers; like FeedFetcher-Google)",
        "Feedly",
    ),
    (
        "Mozilla/5.0 (compatible; Inoreader/1.0; https://www.inoreader.com; 13 subscribers)",
        "Inoreader",
    ),
    ("Newsboat/2.35.0 (Linux x86_64)", "Newsboat"),
    ("Tiny Tiny RSS/23.12-0578bf80 (https://tt-rss.org/)", "Tiny Tiny RSS"),
    ("CommaFeed/4.6.0 (https://github.com/Athou/commafeed)", "CommaFeed"),
    (
        "NewsBlur Feed Fetcher - 5 subscribers - https://www.newsblur.com/site/123/site "
        "(Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/12.1.1 Safari/605.1.15)",
        "NewsBlur",
    ),
    ("Reeder/5050.01.1 CFNetwork/1498.700.2 Darwin/23.6.0", "Reeder"),
    ("Liferea/1.15.8 (Linux; en_US.UTF-8; https://lzone.de/liferea/)", "Liferea"),
    ("Akregator/6.0.0; syndication", "Akregator"),
    ("python-reader/3.26 (+https://github.com/lemon24/reader)", "reader (Python)"),
    ("feedparser/6.0.14 +https://github.com/kurtmckee/feedparser/", "feedparser (Python)"),
    ("curl/8.5.0", "curl"),
    ("Wget/1.21.3", "Wget"),
    ("python-requests/2.34.2", "Python requests"),
    # Nothing we know.
    ("", "Unknown browser"),
    ("SomethingElse/1.0", "Unknown browser"),
    ("Mozilla/5.0 (X11; Linux x86_64) SomethingElse/1.0", "A browser on Linux"),
]
