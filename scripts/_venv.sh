# Shared by scripts/coach and scripts/test: create .venv and install the project once, and again
# only when pyproject.toml changes or extras are asked for that are not installed yet (a stamp
# file holds the hash of pyproject.toml and the extras installed with it).
#
# Set-up says what it is doing in one line on stderr. pip's own output goes to .venv/setup.log
# and is shown only when set-up fails: on success it is noise (setuptools' boxed "Editable
# installation" note, and warnings about index locations in this machine's pip configuration).
ensure_venv() {
  local extras="$1" spec="." stamp=".venv/.installed" log=".venv/setup.log"
  local want have_hash="" have_extras=""
  [ -n "$extras" ] && spec=".[$extras]"
  want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  [ -f "$stamp" ] && read -r have_hash have_extras < "$stamp"
  if [ "$have_hash" = "$want" ] && { [ -z "$extras" ] || [ "$have_extras" = "$extras" ]; }; then
    return 0
  fi
  if [ -z "$have_hash" ]; then
    echo "repair-coach: first run, setting up .venv (about a minute)..." >&2
  else
    echo "repair-coach: pyproject.toml or extras changed, updating .venv..." >&2
  fi
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  if ! {
    .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip &&
      .venv/bin/python -m pip install --disable-pip-version-check -e "$spec"
  } > "$log" 2>&1; then
    cat "$log" >&2
    echo "repair-coach: setting up .venv failed; pip's output is above and in $log" >&2
    return 1
  fi
  echo "$want $extras" > "$stamp"
}
