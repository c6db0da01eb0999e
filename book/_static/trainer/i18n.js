// The trainer's (and the cliff explorer's) words in the page's language: Chinese on the Chinese edition (<html lang="zh-CN">),
// English everywhere else. `t(english, values)` returns the text to show, its {name} fields filled
// from `values`. The English text stays in the modules that use it; ZH below is data only (strict
// JSON between the markers: tests/test_i18n_trainer.py reads it and fails when a t("...") in the
// trainer has no entry).

// ZH-BEGIN
const ZH = {
  "the book's settings": "本书的设置",
  "the blog post (L20, lr 0.2, clip 20, 250 steps)": "博客文章（L20，lr 0.2，截断 20，250 步）",
  "chapter 5 (L10, lr 0.2, 1000 steps): off": "第 5 章（L10，lr 0.2，1000 步）：不截断",
  "chapter 5: clip 20": "第 5 章：截断 20",
  "chapter 5: clip 1": "第 5 章：截断 1",
  "small lr, no clipping (L10, lr 0.003, 1000 steps)": "小学习率，不截断（L10，lr 0.003，1000 步）",
  "learning rate": "学习率",
  "max_norm": "max_norm（阈值）",
  "clip mode": "截断方式",
  "sequence length": "序列长度",
  "optimizer": "优化器",
  "loss reduction": "损失归约",
  "steps": "步数",
  "seed": "随机种子",
  "off": "关闭",
  "clipping is off": "截断已关闭",
  "total gradient norm ‖g‖ (all parameters)": "总梯度范数 ‖g‖（所有参数）",
  "total gradient norm before and after clipping, log scale": "截断前后的总梯度范数，对数坐标",
  "‖g‖ before clipping": "截断前的 ‖g‖",
  "‖g‖ after clipping": "截断后的 ‖g‖",
  "gradient norms of W, U, b (before clipping)": "W、U、b 的梯度范数（截断前）",
  "gradient norms of W, U and b before clipping, log scale": "截断前 W、U 和 b 的梯度范数，对数坐标",
  "training loss": "训练损失",
  "training loss per step, log scale": "每一步的训练损失，对数坐标",
  "dev accuracy": "验证准确率",
  "dev accuracy at each evaluation": "每次评估时的验证准确率",
  "starting the trainer…": "正在启动训练器……",
  "training: {what}": "训练中：{what}",
  "step {step}: loss {loss}, ‖g‖ {pre} → {post}{dev}": "第 {step} 步：损失 {loss}，‖g‖ {pre} → {post}{dev}",
  ", dev accuracy {dev}": "，验证准确率 {dev}",
  "done": "完成",
  "diverged at step {step}": "在第 {step} 步发散",
  ": best dev accuracy {best}": "：最佳验证准确率 {best}",
  ", test accuracy {test}": "，测试准确率 {test}",
  " ({what})": "（{what}）",
  "the trainer failed: {message}": "训练器出错：{message}",
  "the trainer could not start ({message})": "训练器无法启动（{message}）",
  "worker error": "后台线程出错",
  "no clipping": "不截断",
  "{mode} clipping at {maxNorm}": "{mode} 截断，阈值 {maxNorm}",
  "L{length}, {optimizer} lr {lr}, {clip}, {reduction} loss, {steps} steps, seed {seed}": "L{length}，{optimizer} lr {lr}，{clip}，{reduction} 损失，{steps} 步，种子 {seed}",
  "previous run": "上一次运行",
  "mean test accuracy": "平均测试准确率",
  "largest raw gradient norm": "最大原始梯度范数",
  "fraction of steps clipped": "被截断步的比例",
  "Phase diagram": "相图",
  "Precomputed by labkit when the book was built: length {length}, SGD, {reduction} loss, {steps} steps, mean over seeds {seeds}. Select a cell (click, or arrow keys and Enter) to train its setting here and overlay labkit's mean curves.": "由 labkit 在构建本书时预先计算：长度 {length}，SGD，{reduction} 损失，{steps} 步，随机种子 {seeds} 上的平均值。选择一个格子（点击，或用方向键和 Enter）即可在这里训练它的设置，并叠加 labkit 的平均曲线。",
  "colour shows": "颜色表示",
  "No cell selected.": "未选择格子。",
  "{mode} clipping: {metric}": "{mode} 截断：{metric}",
  "{where}: mean test accuracy {test} ± {sd} ({n} seeds), largest raw gradient norm {maxPre}, {pct} % of steps clipped. Dashed: labkit's mean curves.": "{where}：平均测试准确率 {test} ± {sd}（{n} 个种子），最大原始梯度范数 {maxPre}，{pct} % 的步被截断。虚线：labkit 的平均曲线。",
  "mean of {n} seeds": "{n} 个种子的平均",
  "Loss map over w and b. Click or use the arrow keys to choose a starting point.": "w 和 b 上的损失图。点击或用方向键选择起点。",
  "clipping threshold": "截断阈值",
  "Step": "单步",
  "Play": "播放",
  "Pause": "暂停",
  "Reset": "重置",
  "clipped": "截断",
  "start": "起点",
  "{name}: w {w}, b {b}, loss {loss}": "{name}：w {w}，b {b}，损失 {loss}",
  " (off the map)": "（超出图的范围）",
  "recurrent weight w": "循环权重 w",
  "bias b": "偏置 b",
  "Step {k}. ": "第 {k} 步。",
  "No clipping": "不截断",
  "Clipped at {maxNorm}": "截断到 {maxNorm}",
  ". ": "。",
  ".": "。"
};
// ZH-END

const LANG = typeof document === "undefined" ? "en" : document.documentElement.lang || "en";

/** `english` in the page's language, with {name} fields filled from `values`. */
export function t(english, values = {}) {
  const text = (LANG.startsWith("zh") && ZH[english]) || english;
  return text.replace(/\{(\w+)\}/g, (field, name) => (name in values ? String(values[name]) : field));
}
