#ifndef PAKN_NCURSES_SHIM_H
#define PAKN_NCURSES_SHIM_H
// Wide-character API (add_wch, get_wch, setcchar) needs this before curses.h.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <signal.h>
#include <unistd.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

// Macros and globals that Swift cannot import (function-like macros, possibly reentrant
// globals) exposed as inline functions. Only the terminal layer (PaknTerminal) uses them.
static inline attr_t pakn_a_normal(void) { return A_NORMAL; }
static inline attr_t pakn_a_bold(void) { return A_BOLD; }
static inline attr_t pakn_a_dim(void) { return A_DIM; }
static inline attr_t pakn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t pakn_a_reverse(void) { return A_REVERSE; }
static inline attr_t pakn_a_italic(void) { return A_ITALIC; }
static inline int pakn_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int pakn_key_f(int n) { return KEY_F(n); }
static inline int pakn_colors(void) { return COLORS; }
static inline int pakn_color_pairs(void) { return COLOR_PAIRS; }
static inline int pakn_lines(void) { return LINES; }
static inline int pakn_cols(void) { return COLS; }
static inline WINDOW *pakn_stdscr(void) { return stdscr; }
static inline int pakn_ccharw_max(void) { return CCHARW_MAX; }

// The codeset of the current C locale ("UTF-8" when usable).
static inline const char *pakn_codeset(void) { return nl_langinfo(CODESET); }

// A terminfo string capability, or NULL when absent or cancelled.
static inline const char *pakn_tigetstr(const char *name) {
    char *s = tigetstr((char *)name);
    if (s == NULL || s == (char *)-1) return NULL;
    return s;
}

// Builds a cchar_t from up to CCHARW_MAX wide characters (NUL-terminated).
static inline int pakn_setcchar(cchar_t *out, const wchar_t *wch, attr_t attrs, int pair) {
    return setcchar(out, wch, attrs, (short)pair, NULL);
}
#endif
