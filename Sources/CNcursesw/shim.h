#ifndef PAKN_NCURSES_SHIM_H
#define PAKN_NCURSES_SHIM_H
// Wide-character API (add_wch, get_wch, setcchar) needs this before curses.h.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <signal.h>
#include <pthread.h>
#include <unistd.h>
#include <string.h>
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

// Columns the C library gives a wide character (-1: unprintable). ncurses uses the same.
extern int wcwidth(wchar_t c);
static inline int pakn_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }

// newterm on the process's standard streams; NULL when the terminal cannot be used.
static inline SCREEN *pakn_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline void pakn_flush_stdout(void) { fflush(stdout); }

// Writes a terminfo string (e.g. bracketed-paste on/off) straight to the terminal.
// putp() would go through ncurses' own output buffer, which is not flushed before the first
// refresh; write(2) is also safe inside a signal handler.
static inline void pakn_write_cap(const char *s) {
    if (s == NULL) return;
    size_t n = strlen(s);
    while (n > 0) { ssize_t w = write(STDOUT_FILENO, s, n); if (w <= 0) break; s += w; n -= (size_t)w; }
}

// Hands a fatal signal to the handler that was installed before pakn's (Swift's
// backtracer, say) with the original siginfo, then dies of it with the default action.
static inline void pakn_chain_fatal_signal(int sig, siginfo_t *info, void *ctx, const struct sigaction *old) {
    if (old != NULL) {
        if (old->sa_flags & SA_SIGINFO) {
            if (old->sa_sigaction != NULL) old->sa_sigaction(sig, info, ctx);
        } else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
            old->sa_handler(sig);
        }
    }
    signal(sig, SIG_DFL);
    raise(sig);   // blocked while in the handler: delivered, with the default action, on return
}

// Unblocks the signals the desk relies on. A process can inherit them blocked (from a
// thread pool of whoever started it); then resizes (SIGWINCH) and SIGTERM would never arrive.
static inline void pakn_unblock_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    int sigs[] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT, SIGCHLD, SIGALRM,
                   SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaddset(&set, sigs[i]);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

// The codeset of the current C locale ("UTF-8" when usable).
static inline const char *pakn_codeset(void) { return nl_langinfo(CODESET); }

// A terminfo string capability, or NULL when absent or cancelled.
static inline const char *pakn_tigetstr(const char *name) {
    char *s = tigetstr((char *)name);
    if (s == NULL || s == (char *)-1) return NULL;
    return s;
}

// Mouse: clicks and the wheel (buttons 4 and 5), reported at once (no click interval).
static inline void pakn_mouse_on(void) {
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
}
// The last mouse event: 1 a left click, 4 the wheel up, 5 the wheel down, 0 anything else.
static inline int pakn_mouse_event(int *x, int *y) {
    MEVENT e;
    if (getmouse(&e) != OK) return 0;
    *x = e.x; *y = e.y;
    if (e.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return 1;
    if (e.bstate & BUTTON4_PRESSED) return 4;
#ifdef BUTTON5_PRESSED
    if (e.bstate & BUTTON5_PRESSED) return 5;
#endif
    return 0;
}

// Builds a cchar_t from up to CCHARW_MAX wide characters (NUL-terminated).
static inline int pakn_setcchar(cchar_t *out, const wchar_t *wch, attr_t attrs, int pair) {
    return setcchar(out, wch, attrs, (short)pair, NULL);
}
#endif
