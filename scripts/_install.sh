# Shared by scripts/run and scripts/test (sourced, not run): make .venv and install the package
# into it when it is missing or pyproject.toml changed since the last install.
# Usage: ensure_venv EXTRAS   (EXTRAS is "" or "[dev]")

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO/.venv"

ensure_venv() {
  local extras="$1"
  local stamp="$VENV/.linktriage-installed${extras:+-dev}"
  local python="${PYTHON:-python3}"
  if [ ! -x "$VENV/bin/python" ]; then
    echo "scripts: creating $VENV" >&2
    "$python" -m venv "$VENV" || {
      echo "scripts: cannot create a virtualenv; install python3-venv (apt-get install python3-venv)" >&2
      exit 1
    }
  fi
  # A [dev] install also satisfies a plain one.
  if [ -z "$extras" ] && [ -f "$stamp-dev" ] && ! [ "$REPO/pyproject.toml" -nt "$stamp-dev" ]; then
    stamp="$stamp-dev"
  fi
  if [ ! -f "$stamp" ] || [ "$REPO/pyproject.toml" -nt "$stamp" ] || [ ! -x "$VENV/bin/linktriage" ]; then
    echo "scripts: installing linktriage${extras} into $VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2 || true
    "$VENV/bin/python" -m pip install --quiet -e "$REPO$extras" >&2 || {
      echo "scripts: pip install failed (see above)" >&2
      exit 1
    }
    touch "$stamp"
  fi
}

# Debian's chromium (browser tests and benchmarks drive it with Playwright, which cannot download its
# own browsers here), firefox-esr (the extension's Firefox test drives it over WebDriver BiDi), CJK fonts
# (screenshots that show Chinese) and nodejs (node --test tests/js).
ensure_browser_deps() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/firefox-esr ] || ! fc-list 2>/dev/null | grep -i "noto.*cjk" >/dev/null || ! command -v node >/dev/null; then
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "scripts: installing Debian's chromium, firefox-esr, fonts-noto-cjk and nodejs (apt-get)" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium firefox-esr fonts-noto-cjk nodejs >&2
  fi
}

# Debian's PostgreSQL server binaries (initdb, pg_ctl): the tests start a throwaway cluster of their own
# in a temp dir (tests/pg_cluster.py) to run the store/API/ingest tests on PostgreSQL too (team mode).
# Nothing is configured or started here; the package's own cluster service is not used.
ensure_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "scripts: installing Debian's postgresql (apt-get)" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
  fi
}
