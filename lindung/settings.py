"""Django settings for Lindung.

With no environment at all this runs the demo: DEBUG on, SQLite under ``var/``, a throw-away
secret key. Production sets ``LINDUNG_DEBUG=0``, ``SECRET_KEY``, ``DATABASE_URL`` and
``ALLOWED_HOSTS``; every value is read through :mod:`lindung.config`, which fails loudly.
"""

from pathlib import Path

import dj_database_url

from lindung.config import ConfigError, env_bool, env_int, env_list, env_size, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LINDUNG_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("LINDUNG_DEBUG", True)
if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "demo-only-insecure-key-do-not-use-in-production-0123456789")
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ConfigError("SECRET_KEY must be at least 50 characters with 5 distinct characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ConfigError(
        "ALLOWED_HOSTS is required when LINDUNG_DEBUG=0 (e.g. lindung.kaltimprov.go.id)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # ships the Swagger UI assets that /api/v1/docs serves (no CDN)
    "lindung.core",
    "lindung.regions",
    "lindung.accounts",
    "lindung.audit",
    "lindung.registry",
    "lindung.subsidy",
    "lindung.programmes",
    "lindung.enrolment",
    "lindung.matching",
    "lindung.compliance",
    "lindung.letters",
    "lindung.imports",
    "lindung.demo",
    "lindung.reporting",
    "lindung.reporting.documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lindung.core.middleware.IndonesianFirstLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lindung.audit.middleware.AuditActorMiddleware",
]

ROOT_URLCONF = "lindung.urls"
WSGI_APPLICATION = "lindung.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lindung.core.context_processors.capabilities",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'lindung.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web app read while the background worker writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The dashboard caches its answers. "file" (the default without DEBUG) shares them between the
# web server's processes, so each region page is computed once, not once per process; "locmem"
# (the default with DEBUG, and in tests) keeps them per process.
CACHE_BACKEND = env_str("LINDUNG_CACHE", "locmem" if DEBUG else "file")
if CACHE_BACKEND not in {"file", "locmem"}:
    raise ConfigError(f"LINDUNG_CACHE={CACHE_BACKEND!r}: use file or locmem.")
_cache_dir = VAR_DIR / "cache" / Path(str(DATABASES["default"]["NAME"])).stem
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("LINDUNG_CACHE_DIR", str(_cache_dir)),
        # Every kab/kota, kecamatan and desa page of each scope and language fits.
        "OPTIONS": {"MAX_ENTRIES": env_int("LINDUNG_CACHE_ENTRIES", 50_000, minimum=100)},
    }
    if CACHE_BACKEND == "file"
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "lindung" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Makassar")  # WITA, Kalimantan Timur
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# Uploads: imports are large, but not unbounded.
LINDUNG_MAX_UPLOAD_BYTES = env_size("LINDUNG_MAX_UPLOAD_BYTES", 200 * 1024**2)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_size("FILE_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024**2)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_size("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024**2)
FILE_UPLOAD_TEMP_DIR = str(VAR_DIR / "tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(exist_ok=True)

TASKS = {"default": {"BACKEND": env_str("LINDUNG_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
