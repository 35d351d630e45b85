//! Which rows of a long list are in view, for virtual scrolling with a fixed row height.
//!
//! The scroll container holds a spacer as tall as all the rows would be, so its scrollbar
//! tells the truth about the total; only the rows in view (and a few either side) exist
//! in the DOM, pushed into place by a spacer above and one below them.
//!
//! Browsers cap an element's height (Chromium near 33.5 million pixels, Firefox near
//! 17.9 million), far less than a million rows need. Past [`MAX_SPACER_PX`] the spacer
//! stays that tall and scrolling is scaled: the scrollbar's whole travel still covers
//! every row, a pixel of scrolling just moves more than a pixel of rows.

/// The tallest spacer used: below every browser's limit.
pub const MAX_SPACER_PX: f64 = 8_000_000.0;

/// The geometry of the list: how many rows, how tall each.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowLayout {
    pub total_rows: u64,
    pub row_height: f64,
}

/// Rows `first..end` are rendered, below a spacer `top_px` tall and above one `bottom_px`
/// tall; together they are always exactly [`RowLayout::spacer_height`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowWindow {
    pub first: u64,
    pub end: u64,
    pub top_px: f64,
    pub bottom_px: f64,
}

impl RowLayout {
    /// What the rows would measure, uncapped.
    fn content_height(&self) -> f64 {
        self.total_rows as f64 * self.row_height
    }

    /// The height the spacer gives the scroll container.
    pub fn spacer_height(&self) -> f64 {
        self.content_height().min(MAX_SPACER_PX)
    }

    /// Rows per pixel of scrolling, in units of pixels of rows: 1 until the cap.
    fn scale(&self, viewport: f64) -> f64 {
        let travel = self.spacer_height() - viewport;
        if travel <= 0.0 {
            1.0
        } else {
            ((self.content_height() - viewport) / travel).max(1.0)
        }
    }

    /// The row at the top of the view when the container is scrolled to `scroll_top`.
    pub fn first_visible(&self, scroll_top: f64, viewport: f64) -> u64 {
        let offset = scroll_top.max(0.0) * self.scale(viewport);
        ((offset / self.row_height) as u64).min(self.total_rows.saturating_sub(1))
    }

    /// The rows to render for a view `viewport` pixels tall (the rows' area, under the
    /// header) scrolled to `scroll_top`, with `overscan` more rows above and below.
    pub fn window(&self, scroll_top: f64, viewport: f64, overscan: u64) -> RowWindow {
        let spacer = self.spacer_height();
        if self.total_rows == 0 || self.row_height <= 0.0 {
            return RowWindow {
                first: 0,
                end: 0,
                top_px: 0.0,
                bottom_px: spacer,
            };
        }
        let viewport = viewport.max(0.0);
        let scroll_top = scroll_top.clamp(0.0, (spacer - viewport).max(0.0));
        // Where the view's top falls among the uncapped rows.
        let offset = scroll_top * self.scale(viewport);
        let first_visible = self.first_visible(scroll_top, viewport);
        let in_view = (viewport / self.row_height).ceil() as u64 + 1;
        let first = first_visible.saturating_sub(overscan);
        let end = (first_visible + in_view + overscan).min(self.total_rows);
        // Row `first` sits where it would be in the uncapped list, relative to the view.
        let top_px = (scroll_top - (offset - first as f64 * self.row_height)).max(0.0);
        let rows_px = (end - first) as f64 * self.row_height;
        RowWindow {
            first,
            end,
            top_px,
            bottom_px: (spacer - top_px - rows_px).max(0.0),
        }
    }
}

impl RowWindow {
    /// Whether row `index` is rendered.
    pub fn contains(&self, index: u64) -> bool {
        (self.first..self.end).contains(&index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: f64 = 48.0;

    fn layout(total_rows: u64) -> RowLayout {
        RowLayout {
            total_rows,
            row_height: ROW,
        }
    }

    #[test]
    fn a_short_list_is_rendered_whole_at_the_top() {
        let window = layout(5).window(0.0, 600.0, 5);
        assert_eq!((window.first, window.end), (0, 5));
        assert_eq!(window.top_px, 0.0);
        assert_eq!(window.bottom_px, 0.0);
        assert_eq!(layout(5).spacer_height(), 5.0 * ROW);
    }

    #[test]
    fn an_empty_list_renders_nothing() {
        let window = layout(0).window(100.0, 600.0, 5);
        assert_eq!((window.first, window.end), (0, 0));
        assert_eq!(window.bottom_px, 0.0);
    }

    #[test]
    fn only_the_rows_in_view_and_the_overscan_are_rendered() {
        let list = layout(2_000);
        // 10 rows scrolled past, a view of 12.5 rows.
        let window = list.window(10.0 * ROW, 600.0, 5);
        assert_eq!(window.first, 5);
        assert_eq!(window.end, 10 + 14 + 5);
        assert_eq!(
            window.top_px,
            5.0 * ROW,
            "rows sit where they would without virtualisation"
        );
        assert_eq!(
            window.top_px + (window.end - window.first) as f64 * ROW + window.bottom_px,
            list.spacer_height()
        );
        assert!(window.contains(5) && window.contains(28) && !window.contains(29));
    }

    #[test]
    fn the_last_rows_are_reachable() {
        let list = layout(2_000);
        let viewport = 600.0;
        let bottom = list.spacer_height() - viewport;
        let window = list.window(bottom, viewport, 5);
        assert_eq!(window.end, 2_000);
        assert_eq!(window.bottom_px, 0.0);
        // Scrolled further than possible (a stale offset): clamped, not empty.
        assert_eq!(list.window(1e12, viewport, 5), window);
    }

    #[test]
    fn a_million_rows_keep_the_spacer_under_the_browser_limit_and_stay_reachable() {
        let list = layout(1_000_000);
        let viewport = 600.0;
        assert_eq!(list.spacer_height(), MAX_SPACER_PX);

        let top = list.window(0.0, viewport, 5);
        assert_eq!((top.first, top.top_px), (0, 0.0));

        let travel = MAX_SPACER_PX - viewport;
        let middle = list.window(travel / 2.0, viewport, 5);
        let mid_row = middle.first + 5;
        let rows_in_view = (viewport / ROW) as u64;
        let expected = (1_000_000 - rows_in_view) / 2;
        assert!(mid_row.abs_diff(expected) <= 1, "{mid_row} vs {expected}");
        assert!(middle.end - middle.first < 40, "a window, not the list");
        assert!(middle.top_px >= 0.0 && middle.bottom_px >= 0.0);
        assert!(
            (middle.top_px + (middle.end - middle.first) as f64 * ROW + middle.bottom_px
                - MAX_SPACER_PX)
                .abs()
                < 1e-3
        );

        let bottom = list.window(travel, viewport, 5);
        assert_eq!(
            bottom.end, 1_000_000,
            "the very last contact can be reached"
        );
        assert!(bottom.bottom_px.abs() < 1e-3);
    }

    #[test]
    fn scaled_rows_move_with_the_scrollbar_without_jumps() {
        let list = layout(1_000_000);
        let viewport = 600.0;
        // Between two nearby scroll offsets, the first visible row moves by what the scale
        // says, never backwards.
        let mut last = 0;
        for step in 0..2_000 {
            let scroll = step as f64 * 37.0;
            let first = list.first_visible(scroll, viewport);
            assert!(first >= last);
            last = first;
        }
    }
}
