import { registerMessages } from "../../lib/i18n.js";

/** Messages of merging duplicate records. */
registerMessages({
  "objects.merge": { "en-US": "Merge", "zh-CN": "合并记录" },
  "merge.survivor_in_merged": { "en-US": "The record to keep cannot also be one of the records merged into it", "zh-CN": "保留的记录不能同时作为被合并的记录" },
  "merge.duplicate_ids": { "en-US": "Each record may be named only once", "zh-CN": "同一条记录只能选择一次" },
  "merge.already_merged": {
    "en-US": "One of these records has just been merged into another: reload and review again",
    "zh-CN": "其中有记录刚刚已被合并到其他记录，请刷新后重新核对",
  },
  "merge.deleted": { "en-US": "One of these records is in the trash: restore it first", "zh-CN": "其中有记录已在回收站中，请先恢复" },
  "merge.self_contact": {
    "en-US": "An individual customer's own contact cannot be merged: merge the customers instead",
    "zh-CN": "个人客户本人的联系人不能单独合并，请合并对应的客户",
  },
  "merge.unknown_field": { "en-US": "There is no field “{{field}}” to choose", "zh-CN": "不存在可选择的字段“{{field}}”" },
  "merge.bad_choice": { "en-US": "The value of “{{field}}” must come from one of the merged records", "zh-CN": "“{{field}}”的取值必须来自参与合并的记录" },
  "merge.already_undone": { "en-US": "This merge has already been undone", "zh-CN": "该合并已撤销" },
  "merge.survivor_changed": {
    "en-US": "The kept record has since been merged or deleted: this merge can no longer be undone",
    "zh-CN": "保留的记录此后已被合并或删除，无法再撤销此次合并",
  },
  "merge.too_few": { "en-US": "Choose at least two records", "zh-CN": "请至少选择两条记录" },
});
