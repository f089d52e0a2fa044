# Sourced by the scripts and the bpfstore launcher: exports JAVA_HOME pointing at a JDK >= 25, or exits with a
# clear message. Order: an existing JAVA_HOME that is new enough, then every JDK under /usr/lib/jvm, newest first.
# The launcher sources this on every command, so the usual path (JAVA_HOME or the first JDK fits) uses shell
# builtins only: no JVM is started and no other process runs.
bpfstore_java_feature() { # sets BPFSTORE_FEATURE to the feature release of the JDK at $1 (e.g. 25), or empty
  BPFSTORE_FEATURE=
  local line
  if [ -f "$1/release" ]; then
    while IFS= read -r line; do
      if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then BPFSTORE_FEATURE=${BASH_REMATCH[1]}; return; fi
    done < "$1/release"
  elif [ -x "$1/bin/java" ]; then
    BPFSTORE_FEATURE=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -1)
  fi
}
bpfstore_fits() { # true if $1 is a JDK (javac present) of release 25 or newer
  [ -n "$1" ] && [ -x "$1/bin/javac" ] || return 1
  bpfstore_java_feature "$1"
  [ -n "$BPFSTORE_FEATURE" ] && [ "$BPFSTORE_FEATURE" -ge 25 ]
}
bpfstore_find_jdk() { # sets BPFSTORE_JDK
  local candidate
  if bpfstore_fits "${JAVA_HOME:-}"; then BPFSTORE_JDK=$JAVA_HOME; return 0; fi
  for candidate in $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV); do
    if bpfstore_fits "$candidate"; then BPFSTORE_JDK=$candidate; return 0; fi
  done
  return 1
}
if ! bpfstore_find_jdk; then
  echo "bpfstore: no JDK 25 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm/*)." >&2
  echo "bpfstore: install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME="$BPFSTORE_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
