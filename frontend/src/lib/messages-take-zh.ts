// The Chinese texts of messages-take.ts, typed against the English ones.

import type { enTake } from './messages-take';

export const zhTake: Record<keyof typeof enTake, string> = {
  'take.mark.saved': '已保存',
  'take.mark.waiting': '等待保存',
  'take.mark.failed': '保存失败',
  'take.mark.unanswered': '未作答',
  'take.mark.flagged': '已标记',
  'save.waitingCount': '{n} 题等待保存',
  'save.offlineCount': '网络断开 — {n} 题等待保存，正在重试',
  'save.failedCount': '{n} 题保存失败',
  'take.flag': '标记待查',
  'take.unflag': '取消标记',
  'take.sheet': '答题卡',
  'take.sheetClose': '关闭答题卡',
  'take.sheetItem': '第 {n} 题：{state}',
  'take.sheetLegend': '点击题号可跳到该题。',
  'take.progressShort': '{n}/{total}',
  'save.short.saved': '已保存',
  'save.short.saving': '保存中',
  'save.short.waiting': '{n} 题待存',
  'save.short.offline': '离线',
  'save.short.failed': '{n} 题失败',
  'take.sheetStates': '颜色说明',
};
