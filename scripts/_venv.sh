# Shared by scripts/coach and scripts/test: create .venv and install the project once, again
# only when pyproject.toml changes (a stamp file holds its hash and the extras installed).
ensure_venv() {
  local extras="$1" spec="." stamp=".venv/.installed" want
  [ -n "$extras" ] && spec=".[$extras]"
  want="$(sha256sum pyproject.toml | cut -d' ' -f1) $extras"
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  if [ ! -f "$stamp" ] || ! grep -qxF "$want" "$stamp"; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec"
    echo "$want" > "$stamp"
  fi
}
