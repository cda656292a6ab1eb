//! The web interface's one string catalogue: every label in Vietnamese (first) and English.
//! Labels of codes (categories, indicators, review steps) come from `shared`, not from here.

use shared::text::Lang;

/// (key, Vietnamese, English).
const CATALOGUE: &[(&str, &str, &str)] = &[
    ("app", "Rà soát hộ nghèo", "Poverty review"),
    ("login", "Đăng nhập", "Log in"),
    ("logout", "Đăng xuất", "Log out"),
    ("username", "Tên đăng nhập", "User name"),
    ("password", "Mật khẩu", "Password"),
    ("bad_login", "Sai tên đăng nhập hoặc mật khẩu", "Wrong user name or password"),
    (
        "locked_out",
        "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút hoặc liên hệ quản trị viên.",
        "Too many failed logins. Try again in 15 minutes or ask the administrator.",
    ),
    (
        "role_denied",
        "Tài khoản này không được dùng trang quản lý (chỉ cán bộ phường và quản trị)",
        "This account may not use the registry (ward staff and administrators only)",
    ),
    ("expired", "Phiên làm việc đã hết hạn, vui lòng đăng nhập lại", "Your session has ended; please log in again"),
    ("dashboard", "Tổng quan", "Dashboard"),
    ("households", "Danh sách hộ", "Households"),
    ("conflicts", "Xung đột dữ liệu", "Conflicts"),
    ("exports", "Xuất báo cáo", "Exports"),
    ("search", "Tìm (tên, địa chỉ, mã hộ)", "Search (name, address, code)"),
    ("group", "Tổ dân phố", "Residential group"),
    ("all", "Tất cả", "All"),
    ("category", "Phân loại", "Category"),
    ("indicator_deprived", "Thiếu hụt chỉ số", "Deprived on"),
    ("review_status", "Trạng thái rà soát", "Review status"),
    ("has_conflicts", "Có xung đột", "Has conflicts"),
    ("changed", "Thay đổi so với năm trước", "Changed since last year"),
    ("sort", "Sắp xếp", "Sort"),
    ("sort_group", "Theo tổ, mã hộ", "By group, code"),
    ("sort_name", "Theo tên chủ hộ", "By head's name"),
    ("sort_deprived", "Nhiều thiếu hụt trước", "Most deprived first"),
    ("sort_recent", "Mới cập nhật trước", "Recently changed first"),
    ("filter", "Lọc", "Filter"),
    ("clear", "Bỏ lọc", "Clear"),
    ("code", "Mã hộ", "Code"),
    ("head", "Chủ hộ", "Head of household"),
    ("address", "Địa chỉ", "Address"),
    ("members", "Thành viên", "Members"),
    ("deprived", "Số chỉ số thiếu hụt", "Deprivations"),
    ("previous", "Năm trước", "Last year"),
    ("showing", "Hiển thị", "Showing"),
    ("of", "trên", "of"),
    ("prev", "Trang trước", "Previous"),
    ("next", "Trang sau", "Next"),
    ("none_found", "Không có hộ nào phù hợp", "No household matches"),
    ("invalid", "Hồ sơ chưa hợp lệ", "Record not valid"),
    ("classification", "Kết quả phân loại", "Classification"),
    ("standard", "Chuẩn áp dụng", "Standard"),
    ("b2", "Điểm B2 (thiếu hụt)", "B2 score (deprivation)"),
    ("income_condition", "Điều kiện thu nhập", "Income condition"),
    ("yes", "Có", "Yes"),
    ("no", "Không", "No"),
    ("unknown", "Chưa rõ", "Unknown"),
    ("transition", "Biến động", "Transition"),
    ("indicators", "12 chỉ số thiếu hụt", "The 12 deprivation indicators"),
    ("indicator", "Chỉ số", "Indicator"),
    ("status", "Tình trạng", "Status"),
    ("reason", "Lý do", "Reason"),
    ("st_deprived", "Thiếu hụt", "Deprived"),
    ("st_not_deprived", "Không thiếu hụt", "Not deprived"),
    ("st_unknown", "Chưa rõ", "Unknown"),
    ("name", "Họ tên", "Name"),
    ("sex", "Giới tính", "Sex"),
    ("birth", "Năm sinh / ngày sinh", "Born"),
    ("age", "Tuổi", "Age"),
    ("relation", "Quan hệ với chủ hộ", "Relation"),
    ("work", "Việc làm", "Work"),
    ("insurance", "BHYT", "Health insurance"),
    ("education", "Trình độ", "Education"),
    ("in_school", "Đang đi học", "In school"),
    ("children", "Trẻ em: chỉ số Z (WHO)", "Children: z-scores (WHO)"),
    ("measured_on", "Ngày đo", "Measured on"),
    ("weight", "Cân nặng (kg)", "Weight (kg)"),
    ("height", "Chiều cao (cm)", "Length/height (cm)"),
    ("oedema", "Phù", "Oedema"),
    ("flagged", "bất thường, không tính", "implausible, not counted"),
    ("zchart", "Biểu đồ chỉ số Z theo thời gian (vạch −2 và −3)", "Z-scores over time (lines at −2 and −3)"),
    ("answers", "Thông tin hộ", "Household answers"),
    ("history", "Lịch sử thay đổi", "History of changes"),
    ("table", "Biểu", "Table"),
    ("when", "Thời gian", "When"),
    ("who", "Người thực hiện", "Who"),
    ("device", "Thiết bị", "Device"),
    ("what", "Nội dung", "What"),
    (
        "history_note",
        "Mỗi thay đổi của hồ sơ, mới nhất trước, đọc từ nhật ký thay đổi của tài liệu Automerge: người ghi, thiết bị, giờ ghi trên thiết bị, giờ máy chủ nhận và các trường đã thay đổi.",
        "Every change of the record, newest first, read from the Automerge document's change log: who wrote it, on which device, the device's time, when the server received it, and the fields it changed.",
    ),
    ("written_at", "Giờ ghi (thiết bị)", "Written (device time)"),
    ("received_at", "Máy chủ nhận lúc", "Received by the server"),
    ("fields_changed", "Trường thay đổi", "Fields changed"),
    ("removed_member", "(thành viên đã xóa)", "(removed member)"),
    ("via_web", "Trang quản lý (web)", "Registry (web)"),
    ("via_import", "Nhập danh sách", "List import"),
    ("server_writer", "Máy chủ", "Server"),
    ("older_changes", "Thay đổi cũ hơn không hiển thị", "Older changes not shown"),
    ("web_actions", "Thao tác trên trang quản lý", "Actions in the registry"),
    ("no_conflicts", "Không có xung đột", "No conflicts"),
    (
        "conflict_help",
        "Hai người sửa cùng một ô khi không có mạng. Chọn giá trị đúng hoặc nhập giá trị khác; kết quả sẽ đồng bộ về điện thoại.",
        "Two people edited the same field offline. Pick the right value or type another; the result syncs back to the phones.",
    ),
    ("field", "Trường", "Field"),
    ("value", "Giá trị", "Value"),
    ("by", "Người nhập", "Entered by"),
    ("typed", "Nhập giá trị khác", "Type another value"),
    ("resolve", "Chốt giá trị", "Settle"),
    ("resolved", "Đã chốt giá trị, sẽ đồng bộ về điện thoại", "Settled; it will sync to the phones"),
    ("server", "Máy chủ (cán bộ phường)", "Server (ward staff)"),
    ("review", "Rà soát (Quyết định 24/2021)", "Review (Decision 24/2021)"),
    ("review_done", "Đã cập nhật trạng thái rà soát", "Review status updated"),
    ("agreement", "Tỷ lệ đồng ý tại hội nghị", "Agreement at the meeting"),
    ("comment", "Nội dung cần rà soát lại", "What to check again"),
    ("agreeing", "Số người đồng ý", "Agreeing"),
    ("attending", "Số người dự họp", "Attending"),
    ("act_record_meeting", "Ghi kết quả hội nghị", "Record the meeting"),
    ("act_return", "Trả lại để rà soát lại", "Return for re-visit"),
    ("act_mark_visited", "Đánh dấu đã rà soát", "Mark visited"),
    ("act_post", "Niêm yết công khai", "Post publicly"),
    ("act_recognise", "Công nhận", "Recognise"),
    ("no_steps", "Không còn bước nào", "No further step"),
    ("categories", "Số hộ theo phân loại", "Households by category"),
    ("count", "Số hộ", "Households"),
    ("percent", "Tỷ lệ", "Share"),
    ("transitions", "Biến động so với năm trước", "Changes since last year"),
    (
        "targets",
        "Chỉ tiêu kế hoạch (hộ nghèo, cận nghèo): hiện tại so với chỉ tiêu",
        "Plan targets (poor and near-poor households): now vs target",
    ),
    ("targets_by_group", "Chỉ tiêu theo tổ dân phố (%)", "Targets by residential group (%)"),
    ("target", "Chỉ tiêu", "Target"),
    ("now", "Hiện tại", "Now"),
    ("met", "Đạt", "Met"),
    ("not_met", "Chưa đạt", "Not met"),
    ("progress", "Tiến độ theo tổ dân phố", "Progress by residential group"),
    ("listed", "Cần rà soát", "Listed"),
    ("visited", "Đã rà soát", "Visited"),
    ("classified", "Đã phân loại", "Classified"),
    ("agreed", "Đã thống nhất", "Agreed"),
    ("recognised", "Đã công nhận", "Recognised"),
    ("poor", "Hộ nghèo", "Poor"),
    ("near_poor", "Hộ cận nghèo", "Near-poor"),
    ("collectors", "Rà soát viên", "Collectors"),
    ("last_sync", "Đồng bộ lần cuối", "Last sync"),
    ("pending", "Hộ còn phải rà soát", "Households pending"),
    ("never", "Chưa đồng bộ", "Never"),
    ("total", "Tổng", "Total"),
    ("export_list", "Danh sách hộ (theo bộ lọc hiện tại)", "Household list (current filters)"),
    ("export_report", "Báo cáo kết quả rà soát (các biểu mục 8)", "Review report (the tables of §8)"),
    (
        "export_jsonl",
        "Toàn bộ sổ hộ dạng JSON Lines (theo từ điển dữ liệu)",
        "Whole registry as JSON Lines (data dictionary form)",
    ),
    ("print", "In trang này", "Print this page"),
    (
        "bad_form",
        "Biểu mẫu không hợp lệ hoặc đã hết hạn, vui lòng thử lại",
        "The form is invalid or expired; please try again",
    ),
    ("not_found", "Không tìm thấy hộ này", "Household not found"),
    ("bad_value", "Giá trị không hợp lệ cho trường này", "That value does not fit this field"),
    ("issues", "Vấn đề của hồ sơ", "Problems in the record"),
    ("lang_switch", "English", "Tiếng Việt"),
    ("departments", "Danh sách theo ngành", "Department lists"),
    ("import", "Nhập danh sách", "Import list"),
    ("edit_targets", "Sửa chỉ tiêu của phường", "Edit the ward's targets"),
    ("edit_departments", "Sửa phân công ngành phụ trách", "Edit which department is responsible"),
    ("save", "Lưu", "Save"),
    (
        "import_help",
        "Nhập danh sách hộ nghèo, cận nghèo năm trước từ tệp XLSX hoặc CSV (dòng đầu là tiêu đề cột). Mỗi hộ hợp lệ được tạo để rà soát viên đến rà soát; nhập lại cùng tệp không tạo hộ trùng.",
        "Import last year's list of poor and near-poor households from an XLSX or CSV file (first row: headings). Each valid household is created for the collectors to review; importing the same file again creates no duplicates.",
    ),
    ("import_file", "Tệp XLSX hoặc CSV", "XLSX or CSV file"),
    ("import_preview", "Xem trước", "Preview"),
    ("import_mapping", "Cột trong tệp", "Columns of the file"),
    ("import_recheck", "Kiểm tra lại với các cột đã chọn", "Check again with these columns"),
    ("import_rows", "Số dòng", "Rows"),
    ("import_valid", "hợp lệ", "valid"),
    ("import_invalid", "Lỗi", "Invalid"),
    (
        "import_accept",
        "Chỉ nhập các dòng hợp lệ, bỏ qua các dòng lỗi",
        "Import the valid rows only, skip the invalid ones",
    ),
    ("import_do", "Nhập", "Import"),
    (
        "import_refused",
        "Tệp còn dòng lỗi: sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ",
        "Some rows have errors: fix the file, or choose to import the valid rows only",
    ),
    (
        "import_row_note",
        "Số dòng theo tệp (dòng 1 là tiêu đề). Các dòng lỗi được hiển thị trước.",
        "Row numbers as in the file (row 1 is the headings). Invalid rows are shown first.",
    ),
    ("import_created", "Đã tạo", "Created"),
    ("import_present", "Đã có từ trước", "Already present"),
];

/// The label `key` in `lang`; the key itself if missing (a test checks none is).
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    CATALOGUE.iter().find(|(k, _, _)| *k == key).map_or(key, |(_, vi, en)| match lang {
        Lang::Vi => vi,
        Lang::En => en,
    })
}

/// Whether the catalogue has `key`.
pub fn has(key: &str) -> bool {
    CATALOGUE.iter().any(|(k, _, _)| *k == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_both_languages_are_filled() {
        for (i, (k, vi, en)) in CATALOGUE.iter().enumerate() {
            assert!(!vi.is_empty() && !en.is_empty(), "{k}");
            assert!(!CATALOGUE[..i].iter().any(|(k2, _, _)| k2 == k), "duplicate {k}");
        }
        assert_eq!(t(Lang::En, "login"), "Log in");
        assert_eq!(t(Lang::Vi, "login"), "Đăng nhập");
    }

    #[test]
    fn every_key_used_by_the_pages_is_in_the_catalogue() {
        let sources = [
            include_str!("layout.rs"),
            include_str!("session.rs"),
            include_str!("households.rs"),
            include_str!("detail.rs"),
            include_str!("dashboard.rs"),
            include_str!("exports.rs"),
            include_str!("import.rs"),
            include_str!("settings.rs"),
        ];
        for src in sources {
            for part in src.split("t(lang, \"").skip(1) {
                let key = part.split('"').next().unwrap_or_default();
                assert!(has(key), "missing catalogue key {key:?}");
            }
        }
    }
}
