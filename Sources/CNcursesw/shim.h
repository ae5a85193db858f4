// What Swift cannot import from ncursesw by itself: macros, and globals that Swift 6 refuses.
#ifndef UPMAN_CNCURSESW_SHIM_H
#define UPMAN_CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <strings.h>
#include <wchar.h>
#include <poll.h>
#include <ncursesw/curses.h>

static inline WINDOW *upman_stdscr(void) { return stdscr; }
/// Starts curses on the process's standard input and output; NULL when the terminal is unusable.
static inline SCREEN *upman_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline int upman_cols(void) { return COLS; }
static inline int upman_lines(void) { return LINES; }
static inline int upman_colors(void) { return COLORS; }
static inline int upman_color_pairs(void) { return COLOR_PAIRS; }
static inline int upman_maxy(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int upman_maxx(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }

static inline attr_t upman_a_normal(void) { return A_NORMAL; }
static inline attr_t upman_a_bold(void) { return A_BOLD; }
static inline attr_t upman_a_dim(void) { return A_DIM; }
static inline attr_t upman_a_underline(void) { return A_UNDERLINE; }
static inline attr_t upman_a_reverse(void) { return A_REVERSE; }

static inline int upman_key_resize(void) { return KEY_RESIZE; }
static inline int upman_key_f(int n) { return KEY_F(n); }

/// Writes one cell (a base character and its combining marks, NUL-terminated) with attributes
/// and a colour pair at the cursor.
static inline int upman_put_cell(const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) return ERR;
    return wadd_wch(stdscr, &cell);
}

/// Writes a run of characters in one look at the cursor: one call for a run of cells instead
/// of one per cell.
static inline int upman_put_run(const wchar_t *text, int count, attr_t attrs, short pair) {
    if (wattr_set(stdscr, attrs, pair, NULL) != OK) return ERR;
    int result = waddnwstr(stdscr, text, count);
    wattr_set(stdscr, A_NORMAL, 0, NULL);
    return result;
}

/// Inserts one cell at the cursor (for the bottom-right corner, which must not scroll).
static inline int upman_ins_cell(const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) return ERR;
    return wins_wch(stdscr, &cell);
}

/// Whether the current locale's character set (LC_CTYPE, after setlocale) is UTF-8.
static inline int upman_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    if (codeset == NULL) return 0;
    return strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "utf8") == 0;
}

#endif
