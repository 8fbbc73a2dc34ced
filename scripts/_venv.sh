# Shared by scripts/coach and scripts/test: create .venv and install the project once, and again
# only when pyproject.toml changes or extras are asked for that are not installed yet (a stamp
# file holds the hash of pyproject.toml and the extras installed with it).
ensure_venv() {
  local extras="$1" spec="." stamp=".venv/.installed" want have_hash="" have_extras=""
  [ -n "$extras" ] && spec=".[$extras]"
  want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  [ -f "$stamp" ] && read -r have_hash have_extras < "$stamp"
  if [ "$have_hash" != "$want" ] || { [ -n "$extras" ] && [ "$have_extras" != "$extras" ]; }; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec"
    [ "$have_hash" = "$want" ] && [ -z "$extras" ] && extras="$have_extras"
    echo "$want $extras" > "$stamp"
  fi
}
