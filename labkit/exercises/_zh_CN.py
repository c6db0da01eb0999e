"""Chinese (zh_CN) text of the exercise checks' feedback: English template → Chinese template.

Keys are the English messages of labkit/exercises/*.py as written there, each f-string field
replaced by `{}` (literal braces doubled); values use `{0}`, `{1}`, ... for those fields in order.
None marks a string that is not shown to the reader (a fragment matched against an error).
labkit.messages.translate applies it when LABKIT_LANG=zh_CN; tests/test_i18n_labkit.py fails
when a message in the checks has no entry here. Data only, no logic.
"""

MESSAGES: dict[str, str | None] = {
    'not implemented yet — replace the `raise NotImplementedError` with your code, run that cell, then run this check again.':
        '还没有实现——把 `raise NotImplementedError` 换成你的代码，运行那个单元，然后再运行一次这个检查。',
    'no prediction yet — replace the `...` with your answer, run that cell, then run this check again.':
        '还没有预测——把 `...` 换成你的答案，运行那个单元，然后再运行一次这个检查。',
    '{} has been replaced since the checks were imported, so this check cannot trust its own tools. Restart the kernel (Kernel → Restart) and run the notebook again without changing labkit, torch or numpy.':
        '{0} 在导入检查之后被替换了，因此这个检查无法信任它自己的工具。请重启内核（Kernel → Restart），在不修改 labkit、torch 或 numpy 的情况下重新运行笔记本。',
    '✘ {}: not yet.\n    {}':
        '✘ {0}：还没有通过。\n    {1}',
    '✔ {}: {}':
        '✔ {0}：{1}',
    'you predicted {}, the answer is {}: {}':
        '你预测的是 {0}，答案是 {1}：{2}',
    'you predicted {}; that is not what the measurement shows. Hint: {}\n    Change your prediction and run the check again, or see the measured answer with {}.':
        '你预测的是 {0}；这与测量结果不符。提示：{1}\n    修改你的预测后再运行一次检查，或者用 {2} 查看测量得到的答案。',
    '(a message that is not text)':
        '（一条不是文本的消息）',
    '\n    Hint: {}':
        '\n    提示：{0}',
    'your code raised {}: {}':
        '你的代码抛出了 {0}：{1}',
    'expected a function, got a {}; pass the function itself (its name, without parentheses).':
        '需要的是一个函数，得到的却是 {0}；请传入函数本身（它的名字，不带括号）。',
    'your code called sys.exit() (or exit()), which would stop the whole program; a function hands back its result with `return`.':
        '你的代码调用了 sys.exit()（或 exit()），这会让整个程序停止；函数应该用 `return` 返回结果。',
    "your code switched off the check's call tracing (sys.setprofile); a check cannot judge code that hides what it calls.":
        '你的代码关闭了检查的调用跟踪（sys.setprofile）；检查无法评判隐藏自己调用了什么的代码。',
    'your code calls {}, a ready-made answer to this exercise. The point is to write it yourself: this check refuses {}.':
        '你的代码调用了 {0}，这是本练习的现成答案。练习的目的是自己写出来：这个检查拒绝 {1}。',
    'your code {}. (I have switched it back.)':
        '你的代码{0}。（我已经把它改回来了。）',
    "your code was still running after {} s, so I stopped it. Is there a loop that never ends (a `while` whose condition never turns False)? (The limit is the check's `time_limit=` argument.)":
        '你的代码运行了 {0} 秒还没有结束，所以我停止了它。是否有一个永远不会结束的循环（一个条件永远不会变为 False 的 `while`）？（时间上限由检查的 `time_limit=` 参数设定。）',
    '\n… ({} more characters not shown)':
        '\n…（还有 {0} 个字符未显示）',
    '    your code printed:\n':
        '    你的代码打印了：\n',
    'switched autograd off for the whole program (torch.set_grad_enabled(False)) and left it off; use `with torch.no_grad():`, which switches it back on by itself':
        '为整个程序关闭了自动微分（torch.set_grad_enabled(False)）并且没有恢复；请使用 `with torch.no_grad():`，它会自动恢复',
    "changed torch's default dtype to {} and left it changed":
        '把 torch 的默认数据类型改成了 {0} 并且没有恢复',
    '{} came back as a list too large or too deeply nested to be an answer.':
        '{0} 返回的是一个过大或嵌套过深的列表，不可能是答案。',
    '{} came back as a list holding {}; return a tensor.':
        '{0} 返回的列表中包含 {1}；请返回一个张量。',
    '{} came back with {} elements, far more than the answer has; check the shapes.':
        '{0} 返回了 {1} 个元素，远多于答案应有的数目；请检查形状。',
    '{} should be a real, dense CPU tensor; yours is {} {} on {}.':
        '{0} 应该是实数、稠密、位于 CPU 上的张量；你的是 {1} {2}，位于 {3}。',
    '{} came back as {}, a subclass of torch.Tensor; return a plain tensor (e.g. torch.tensor(...) or the result of torch operations).':
        '{0} 返回的是 {1}，它是 torch.Tensor 的子类；请返回一个普通张量（例如 torch.tensor(...) 或 torch 运算的结果）。',
    "{} came back as a numpy array of {} {} values; expected real numbers of the answer's shape.":
        '{0} 返回的是一个 numpy 数组，包含 {1} 个 {2} 值；需要的是与答案形状相同的实数。',
    '{} should be a tensor or a number, but your function returned {}.':
        '{0} 应该是一个张量或一个数，但你的函数返回了 {1}。',
    '{} is one number; you returned {} numbers (shape {}).':
        '{0} 是一个数；你返回了 {1} 个数（形状 {2}）。',
    'answer with a whole number, e.g. 1234; you wrote {}':
        '请用一个整数回答，例如 1234；你写的是 {0}',
    'answer with one letter out of {}, as a string like "A"; you wrote {}.':
        '请从 {0} 中选一个字母，写成像 "A" 这样的字符串；你写的是 {1}。',
    'answer with one letter out of {}; you wrote {}.':
        '请从 {0} 中选一个字母；你写的是 {1}。',
    'length must be one of the generated lengths {}; got {}.':
        'length 必须是已生成的长度 {0} 之一；得到的是 {1}。',
    'seeds must be a list or tuple of non-negative whole numbers, e.g. (0, 1); got {}.':
        'seeds 必须是由非负整数组成的列表或元组，例如 (0, 1)；得到的是 {0}。',
    'seeds must name at least {} seed(s), each once; got {}.':
        'seeds 至少要包含 {0} 个种子，每个只出现一次；得到的是 {1}。',
    'time_limit must be a positive number of seconds; got {}.':
        'time_limit 必须是一个正的秒数；得到的是 {0}。',
    'fix a = 3. Which sums a + b are then possible, and how often does each occur if b is any digit? How often would the best single guess be right?':
        '固定 a = 3。那么可能的和 a + b 有哪些？如果 b 可以是任意数字，每个和出现的频率是多少？最好的单一猜测有多大概率是对的？',
    'measured at length {}: guessing from a alone (for each a, the most common training label) scores {} on dev. For a fixed a the ten sums a+0, ..., a+9 are equally likely, so knowing a is worth no more than always answering 9. Half the information buys nothing: the network must carry both digits.':
        '在长度 {0} 上测得：只根据 a 猜测（对每个 a，取最常见的训练标签）在验证集上得分 {1}。对固定的 a，十个和 a+0, ..., a+9 出现的可能性相同，所以知道 a 并不比总是回答 9 更有用。一半的信息什么也换不来：网络必须同时携带两个数字。',
    'remembering only the first digit':
        '只记住第一个数字',
    'a row lookup in the table ({})':
        '对表的行进行查找（{0}）',
    "labkit and any lookup of the table's rows (table[tokens], F.embedding, index_select, gather)":
        'labkit 以及对表中各行的任何查找（table[tokens]、F.embedding、index_select、gather）',
    'one_hot returns integers (int64); convert with .float() or .to(table.dtype) before the matrix product.':
        'one_hot 返回的是整数（int64）；在做矩阵乘积之前，用 .float() 或 .to(table.dtype) 转换。',
    'cannot be multiplied':
        None,
    'without num_classes=10, one_hot sizes the code by the largest digit in this batch; pass num_classes=10 so every batch gets 10 columns.':
        '不指定 num_classes=10 时，one_hot 按这个批次中最大的数字决定编码长度；请传入 num_classes=10，使每个批次都得到 10 列。',
    'for tokens of shape {} and a table of shape {} the result should have shape {} = [B, T, D]; yours has {}.':
        '对于形状为 {0} 的 tokens 和形状为 {1} 的表，结果的形状应为 {2} = [B, T, D]；你的是 {3}。',
    'the shape is right but the values differ (largest difference {}). Row t of one_hot(tokens) @ table should be the table row of digit tokens[t].':
        '形状是对的，但数值不同（最大差异 {0}）。one_hot(tokens) @ table 的第 t 行应该是数字 tokens[t] 在表中对应的那一行。',
    'one_hot(tokens) @ table equals the lookup table[tokens]: an embedding layer is a linear layer applied to one-hot codes, stored as a lookup for speed.':
        'one_hot(tokens) @ table 等于查表 table[tokens]：嵌入层就是作用在独热编码上的线性层，为了速度而以查表的方式存储。',
    "count each tensor separately: the embedding table (10 × 32), W, U, b, and the head's weight and bias. None of them has a copy per time step.":
        '分别数一数每个张量：嵌入表（10 × 32）、W、U、b，以及输出层的权重和偏置。它们都不会为每个时刻各保存一份。',
    'measured: {} = {}. The recurrent part (W, U, b) is shared by every time step, so the count does not depend on the sequence length.':
        '测得：{0} = {1}。循环部分（W、U、b）在每个时刻共享，所以参数个数与序列长度无关。',
    'you predicted {}, the model has {}: {}':
        '你预测的是 {0}，模型有 {1} 个：{2}',
    'you predicted {}; the model has {}. Hint: {}\n    Change your prediction and run the check again, or see the count with ex.check_parameter_count(..., reveal=True).':
        '你预测的是 {0}；模型的参数比这{1}。提示：{2}\n    修改你的预测后再运行一次检查，或者用 ex.check_parameter_count(..., reveal=True) 查看参数个数。',
    "labkit (SRN.step, SRN.forward) and torch's RNN (nn.RNNCell, nn.RNN)":
        'labkit（SRN.step、SRN.forward）以及 torch 的 RNN（nn.RNNCell、nn.RNN）',
    'row-vector convention: x_t is [B, D] and W is [D, H], so the product is x_t @ W (and h_prev @ U).':
        '行向量约定：x_t 是 [B, D]，W 是 [D, H]，所以乘积是 x_t @ W（以及 h_prev @ U）。',
    'shapes cannot be multiplied':
        None,
    'h_t should have shape {} = [B, H]; yours has {}.':
        'h_t 的形状应为 {0} = [B, H]；你的是 {1}。',
    'your values are the pre-activation x_t W + h_prev U + b: apply tanh.':
        '你的值是净输入 x_t W + h_prev U + b：还要再经过 tanh。',
    'you used U transposed. In the row-vector convention h_prev is [B, H] and the product is h_prev @ U.':
        '你用了 U 的转置。在行向量约定中 h_prev 是 [B, H]，乘积是 h_prev @ U。',
    'some |h_t| entries reach {}, but tanh keeps every entry inside (-1, 1).':
        '有些 |h_t| 元素达到了 {0}，但 tanh 会把每个元素都保持在 (-1, 1) 之内。',
    'the shape is right but the values differ (largest difference {}). h_t = tanh(x_t W + h_prev U + b).':
        '形状是对的，但数值不同（最大差异 {0}）。h_t = tanh(x_t W + h_prev U + b)。',
    'your step equals SRN.step: h_t = tanh(x_t W + h_prev U + b), row-vector convention.':
        '你的一步与 SRN.step 相同：h_t = tanh(x_t W + h_prev U + b)，行向量约定。',
    'shrinks (ratio below 0.7)':
        '缩小（比值低于 0.7）',
    'stays within a factor of two (0.7 to 2)':
        '变化在两倍以内（0.7 到 2）',
    'grows 2 to 5 times':
        '增长 2 到 5 倍',
    'grows more than 5 times':
        '增长超过 5 倍',
    "at initialisation ρ(U) < 1 and tanh' ≤ 1. How much of the gradient at h_20 still reaches h_1, and so how much do the ten extra early steps add to ∂L/∂U?":
        "初始化时 ρ(U) < 1 且 tanh' ≤ 1。h_20 处的梯度还有多少能到达 h_1？因此多出来的十个早期时刻给 ∂L/∂U 增加了多少？",
    "measured over {} seeds: ‖∂L/∂U‖ at length 20 / at length 10 has median {} (range {} to {}), so it {}. At initialisation ρ(U) = {} (mean), tanh' ≤ 1 shrinks every step back, and the gradient that reaches h_1 is {} times the one at h_20 (geometric mean): the ten extra early steps add small terms to ∂L/∂U. Length alone does not make the gradient explode.":
        "在 {0} 个种子上测得：‖∂L/∂U‖ 在长度 20 与长度 10 之比的中位数为 {1}（范围 {2} 到 {3}），所以它{4}。初始化时 ρ(U) = {5}（平均），tanh' ≤ 1 使每回退一步都会缩小，到达 h_1 的梯度是 h_20 处的 {6} 倍（几何平均）：多出来的十个早期时刻只给 ∂L/∂U 增加了很小的项。仅仅是长度并不会让梯度爆炸。",
    'doubling the length':
        '把长度加倍',
    'labkit and autograd (.backward(), torch.autograd.grad, torch.func)':
        'labkit 以及自动微分（.backward()、torch.autograd.grad、torch.func）',
    '∂L/∂h_(t-1) should have shape {} = [B, H], like h_(t-1); yours has {}.':
        '∂L/∂h_(t-1) 的形状应为 {0} = [B, H]，与 h_(t-1) 相同；你的是 {1}。',
    'you back-propagated through U but skipped tanh: multiply by its derivative, 1 - h_t², element-wise, first.':
        '你通过 U 做了反向传播，却跳过了 tanh：先逐元素乘以它的导数 1 - h_t²。',
    'the tanh derivative is right, but the product with U is not: h_t uses h_(t-1) @ U, so the gradient flows back through U transposed.':
        'tanh 的导数是对的，但与 U 的乘积不对：h_t 用的是 h_(t-1) @ U，所以梯度要通过 U 的转置回传。',
    "tanh'(a) = 1 - tanh(a)², so the factor is 1 - h_t², squared.":
        "tanh'(a) = 1 - tanh(a)²，所以这个因子是 1 - h_t²，而不是它的平方。",
    'the shape is right but the values differ: expected a norm of {}, got {}.':
        '形状是对的，但数值不同：期望的范数是 {0}，得到的是 {1}。',
    'your step matches autograd: ∂L/∂h_(t-1) = (∂L/∂h_t ⊙ (1 - h_t²)) Uᵀ. Repeat it T times and the gradient is multiplied by T such Jacobians.':
        '你的一步与自动微分一致：∂L/∂h_(t-1) = (∂L/∂h_t ⊙ (1 - h_t²)) Uᵀ。重复 T 次，梯度就乘上了 T 个这样的雅可比矩阵。',
    'one BPTT step':
        '随时间反向传播的一步',
    'a diagonal matrix with a negative entry':
        '一个有负元素的对角矩阵',
    'a scaled rotation (complex eigenvalues ±1.5i)':
        '一个缩放的旋转矩阵（复特征值 ±1.5i）',
    'a non-normal matrix [[0.5, 10], [0, 0.5]]':
        '一个非正规矩阵 [[0.5, 10], [0, 0.5]]',
    'a random 6x6 matrix':
        '一个随机的 6x6 矩阵',
    'labkit (spectral_radius); torch.linalg.eigvals is allowed':
        'labkit（spectral_radius）；允许使用 torch.linalg.eigvals',
    'for {} you returned {}, its largest singular value. That bounds ρ(U) from above (equal only for normal matrices); ρ(U) is the largest |eigenvalue|, here {}.':
        '对于{0}，你返回了 {1}，这是它的最大奇异值。它是 ρ(U) 的上界（只对正规矩阵相等）；ρ(U) 是最大的 |特征值|，这里是 {2}。',
    "for {} you returned {}, built from the eigenvalues' real parts. Eigenvalues of a real matrix can be negative or complex: take their modulus (abs of the complex number) before the max.":
        '对于{0}，你返回了 {1}，它是由特征值的实部得到的。实矩阵的特征值可以是负数或复数：在取最大值之前先取模（复数的 abs）。',
    'for {} you returned {}; ρ(U) = max |eigenvalue| is {}.':
        '对于{0}，你返回了 {1}；ρ(U) = max |特征值| 是 {2}。',
    'your ρ(U) matches labkit.spectral_radius on negative, complex and non-normal cases.':
        '你的 ρ(U) 在负特征值、复特征值和非正规矩阵的情形下都与 labkit.spectral_radius 一致。',
    'a parameter that took no part in the loss has p.grad = None: skip it.':
        '没有参与损失计算的参数的 p.grad = None：跳过它。',
    "a zero gradient has norm 0: add a small epsilon (e.g. 1e-6) to the norm before dividing, as torch's clip_grad_norm_ does.":
        '零梯度的范数为 0：在做除法之前给范数加上一个小的 epsilon（例如 1e-6），torch 的 clip_grad_norm_ 就是这样做的。',
    "labkit (clip_gradients) and torch's clipping (torch.nn.utils.clip_grad_norm_, clip_grad_value_)":
        'labkit（clip_gradients）以及 torch 的截断函数（torch.nn.utils.clip_grad_norm_、clip_grad_value_）',
    'three large gradients':
        '三个大梯度',
    'a gradient already below the threshold':
        '一个已经低于阈值的梯度',
    'a zero gradient':
        '一个零梯度',
    'a parameter whose .grad is None':
        '一个 .grad 为 None 的参数',
    'no gradient at all':
        '完全没有梯度',
    'with {} your gradients contain NaN or inf. A zero gradient has norm 0: add a small epsilon (e.g. 1e-6) to the norm before dividing by it.':
        '在{0}的情形下，你的梯度中出现了 NaN 或 inf。零梯度的范数为 0：在除以范数之前给它加上一个小的 epsilon（例如 1e-6）。',
    "with {} the parameters' .grad did not change. Clip in place (e.g. p.grad.mul_(scale)) or assign p.grad a new tensor; scaling a copy, or returning new tensors, leaves what the optimizer reads untouched.":
        '在{0}的情形下，参数的 .grad 没有变化。请原地截断（例如 p.grad.mul_(scale)）或给 p.grad 赋一个新张量；缩放一个副本或返回新的张量，都不会改变优化器读取的内容。',
    "with {} you clamped each element to ±max_norm: that is value clipping, which changes the gradient's direction. Norm clipping multiplies a whole tensor by one factor, min(1, max_norm / ‖g‖).":
        '在{0}的情形下，你把每个元素都限制到了 ±max_norm：那是按值截断，它会改变梯度的方向。范数截断把整个张量乘以同一个因子 min(1, max_norm / ‖g‖)。',
    'with {} you scaled every tensor by one common factor: that is global clipping. Per-tensor clipping gives each tensor its own factor from its own norm.':
        '在{0}的情形下，你把每个张量都乘以同一个公共因子：那是全局截断。逐张量截断根据每个张量自己的范数给它一个自己的因子。',
    "with {} your norms were taken along one axis (dim={}), giving one factor per row or column. Take the L2 norm over all of a tensor's elements.":
        '在{0}的情形下，你的范数是沿某一个轴（dim={1}）计算的，结果每行或每列一个因子。请对张量的全部元素取 L2 范数。',
    "with {} parameter {}'s .grad should keep shape {}; it is {}.":
        '在{0}的情形下，参数 {1} 的 .grad 应保持形状 {2}；它现在是 {3}。',
    "with {} parameter {}'s gradient should end with norm min(‖g‖, max_norm) = {}; yours has norm {}.":
        '在{0}的情形下，参数 {1} 的梯度最终的范数应为 min(‖g‖, max_norm) = {2}；你的范数是 {3}。',
    'the gradients are right; now return the pre-clip norms, one per gradient (shape [P]), as clip_grad_norm_ returns the pre-clip norm.':
        '梯度是对的；现在请返回截断前的范数，每个梯度一个（形状 [P]），就像 clip_grad_norm_ 返回截断前的范数那样。',
    'the returned norms':
        '返回的范数',
    'with {} the gradients are right, but you returned the norms after clipping; return the ones measured before.':
        '在{0}的情形下，梯度是对的，但你返回的是截断之后的范数；请返回截断之前测得的范数。',
    'with {} the gradients are right, but the returned norms are not: expected {} pre-clip norms (none for a parameter without gradient), got shape {}.':
        '在{0}的情形下，梯度是对的，但返回的范数不对：期望 {1} 个截断前的范数（没有梯度的参数不算），得到的形状是 {2}。',
    "each tensor now has norm min(‖g‖, max_norm), small and zero gradients are left alone, None is skipped: the same as clip_gradients(..., 'per_tensor').":
        "现在每个张量的范数都是 min(‖g‖, max_norm)，小梯度和零梯度保持不变，None 被跳过：与 clip_gradients(..., 'per_tensor') 相同。",
    'with {} your gradients contain NaN or inf; value clipping needs no division at all.':
        '在{0}的情形下，你的梯度中出现了 NaN 或 inf；按值截断根本不需要做除法。',
    "with {} the parameters' .grad did not change: clamp in place (p.grad.clamp_) or assign p.grad a new tensor.":
        '在{0}的情形下，参数的 .grad 没有变化：请原地限制（p.grad.clamp_）或给 p.grad 赋一个新张量。',
    'with {} you rescaled whole tensors (norm clipping), which also shrinks elements already inside [-clip_value, clip_value]. Value clipping leaves those alone and sets only the others to ±clip_value.':
        '在{0}的情形下，你缩放了整个张量（范数截断），这也会缩小本来就在 [-clip_value, clip_value] 之内的元素。按值截断不动这些元素，只把其他元素设为 ±clip_value。',
    'with {} some .grad that held a gradient is now None (or the other way round); clip the gradients in place and leave None alone.':
        '在{0}的情形下，某个原本有梯度的 .grad 现在变成了 None（或者反过来）；请原地截断梯度，并保持 None 不变。',
    'with {}, after clipping every element should lie in [-{}, {}] and elements inside should be unchanged; your largest |element| is {}.':
        '在{0}的情形下，截断后每个元素都应位于 [-{1}, {2}] 之内，且本来就在其中的元素不应改变；你的最大 |元素| 是 {3}。',
    'every element now lies in [-clip_value, clip_value]: the same as clip_grad_value_.':
        '现在每个元素都位于 [-clip_value, clip_value] 之内：与 clip_grad_value_ 相同。',
    'run B learns faster: its threshold is looser':
        '运行 B 学得更快：它的阈值更宽松',
    'run B learns slower: its learning rate is halved':
        '运行 B 学得更慢：它的学习率减半了',
    'the two runs end with practically the same weights':
        '两次运行最终得到几乎相同的权重',
    'run B diverges':
        '运行 B 发散',
    'write out one SGD step that clipping has scaled down: Δθ = -lr · max_norm · g/‖g‖. Compare lr · max_norm in A and B, and ask how often the raw ‖g‖ is below the threshold with the summed loss.':
        '写出被截断缩小的一步 SGD：Δθ = -lr · max_norm · g/‖g‖。比较 A 和 B 中的 lr · max_norm，并想一想在求和损失下，原始的 ‖g‖ 有多少时候低于阈值。',
    'seed must be a non-negative whole number; got {}.':
        'seed 必须是非负整数；得到的是 {0}。',
    "measured at length {}, seed {}: best dev accuracy A {}, B {}; largest weight difference {}. Clipping acted on {} of A's steps and {} of B's, and a clipped SGD step is lr × max_norm × g/‖g‖: 0.2 × 1 = 0.1 × 2. While every step is clipped, max_norm is no safety net for rare spikes: with lr it sets the step length.":
        '在长度 {0}、种子 {1} 上测得：最佳验证准确率 A 为 {2}，B 为 {3}；权重的最大差异为 {4}。截断作用于 A 的 {5} 步和 B 的 {6} 步，而截断后的 SGD 一步是 lr × max_norm × g/‖g‖：0.2 × 1 = 0.1 × 2。当每一步都被截断时，max_norm 并不是应对罕见尖峰的安全网：它和 lr 一起决定了步长。',
    'lr × max_norm':
        'lr × max_norm',
    'argmax over the class axis: logits are [B, C], so use dim=1 (one predicted class per example).':
        '在类别轴上取 argmax：logits 是 [B, C]，所以用 dim=1（每个样本一个预测类别）。',
    'must match the size':
        None,
    'a batch of 7 examples, 19 classes':
        '一个有 7 个样本、19 个类别的批次',
    'a square batch, 19 x 19':
        '一个方形批次，19 x 19',
    'for {} you returned {}, the number of correct answers; divide by the batch size to get a fraction.':
        '对于{0}，你返回了 {1}，这是答对的个数；除以批大小才得到比例。',
    'for {} you counted an example as right when the label is among the two largest logits (a top-2 accuracy); only the arg-max counts.':
        '对于{0}，你在标签属于最大的两个 logit 之一时就算答对（top-2 准确率）；只有 argmax 才算数。',
    'for {} you took the argmax over dim=0 (over the examples). Logits are [B, C]: the predicted class is the argmax over dim=1.':
        '对于{0}，你在 dim=0 上（对样本）取了 argmax。logits 是 [B, C]：预测的类别是 dim=1 上的 argmax。',
    'for {} the accuracy should be {}; yours is {}.':
        '对于{0}，准确率应为 {1}；你的是 {2}。',
    'your accuracy equals labkit.Accuracy: argmax over the class axis, mean over examples.':
        '你的准确率与 labkit.Accuracy 相同：在类别轴上取 argmax，再对样本取平均。',
    '{} must be a positive, finite number':
        '{0} 必须是一个正的有限数',
    ' (or None: no clipping)':
        '（或 None：不截断）',
    '; got {}.':
        '；得到的是 {0}。',
    'seed {}: {}':
        '种子 {0}：{1}',
    'lr = {}, max_norm = {}: mean best dev accuracy {} ({}); target {}.':
        'lr = {0}，max_norm = {1}：最佳验证准确率的平均值为 {2}（{3}）；目标为 {4}。',
    ' The largest global gradient norm was {}':
        ' 最大的全局梯度范数为 {0}',
    ' and {} run(s) diverged':
        '，并且有 {0} 次运行发散了',
    '. Without clipping a single huge step can wreck the weights: try a max_norm.':
        '。不截断时，一次巨大的更新就可能毁掉权重：试试设置 max_norm。',
    '. Try a different lr / max_norm pair: with clipping, a step moves the weights by at most lr × max_norm.':
        '。换一组 lr / max_norm 试试：截断时，一步最多把权重移动 lr × max_norm。',
    'choose lr and max_norm':
        '选择 lr 和 max_norm',
    "look at the gradient's norm at the wall and at how far a step of lr × ‖g‖ goes, compared with the map's width; then compare the loss where it lands with the loss where a step clipped at 1 lands.":
        '看看悬崖壁处梯度的范数，以及一步 lr × ‖g‖ 走了多远（与图的宽度相比）；再比较它落点处的损失和截断到 1 的一步落点处的损失。',
    'the gradient there has norm {}, so the step moves {} to (w, b) = ({}, {}), where the loss is {} (clipped at 1: {}). It is a plateau: the gradient is ~0, so after 100 steps the unclipped path still has loss {} and the clipped one {}.':
        '那里的梯度范数为 {0}，所以这一步移动了 {1}，到达 (w, b) = ({2}, {3})，那里的损失为 {4}（截断到 1 时：{5}）。那是一块平台：梯度约为 0，所以 100 步之后不截断的路径损失仍为 {6}，而截断的路径为 {7}。',
    'a step from the wall':
        '从悬崖壁出发的一步',
    'max_norm should be a positive number, got {}.':
        'max_norm 应该是一个正数，得到的是 {0}。',
    '{} of {} paths left the map: a step of up to lr × max_norm = {} still jumps off the wall. Try smaller.':
        '{1} 条路径中有 {0} 条离开了图：最长为 lr × max_norm = {2} 的一步仍会从悬崖壁上跳出去。请试试更小的值。',
    'every path stays on the map, but their mean loss after {} steps is {} (goal < {}): the steps are long enough to hop over the narrow valley. Try smaller.':
        '每条路径都留在图内，但它们 {0} 步之后的平均损失为 {1}（目标 < {2}）：步长足以跳过狭窄的山谷。请试试更小的值。',
    'all {} paths stay on the map and end at mean loss {}. Too small a threshold would also work, only slower: max_norm caps the step at lr × max_norm, on the wall and everywhere else.':
        '全部 {0} 条路径都留在图内，最终平均损失为 {1}。太小的阈值也可以，只是更慢：max_norm 把步长限制为 lr × max_norm，无论在悬崖壁上还是其他地方。',
    'a threshold for the wall':
        '悬崖壁的阈值',
    "labkit's {}":
        'labkit 的 {0}',
    '{}: {}':
        None,
    '<not text>':
        '<不是文本>',
    '{} {}':
        None,
    ' ({})':
        None,
    ', ':
        None,
    'ex.check_first_digit_only(..., reveal=True)':
        None,
    'ex.check_length_doubling(..., reveal=True)':
        None,
    'ex.check_lr_times_max_norm(..., reveal=True)':
        None,
    'ex.check_wall_step(..., reveal=True)':
        None,
    'the embedding':
        '嵌入结果',
    'one-hot embedding':
        '独热嵌入',
    'parameter count':
        '参数个数',
    'SRN step':
        '简单循环网络的一步',
    'spectral radius':
        '谱半径',
    'a .grad':
        '一个 .grad',
    'per-tensor clipping':
        '逐张量截断',
    'value clipping':
        '按值截断',
    'labkit (Accuracy)':
        'labkit（Accuracy）',
    'the accuracy':
        '准确率',
    'more':
        '更多',
    'fewer':
        '更少',
    'which layer passes the gradient back':
        '哪一层把梯度传回去',
    "measured over {} seeds, the median ‖∂L/∂h_1‖ / ‖∂L/∂h_35‖ at initialisation is {}. With every gate near 0.5, a gated layer multiplies its gradient by about 0.5 (times more) per step back; the Xavier SRN starts with ρ(U) near 1; U = 0 passes nothing back at all. Gates help once they have learned to open, not before.":
        '在 {0} 个种子上测得，初始化时 ‖∂L/∂h_1‖ / ‖∂L/∂h_35‖ 的中位数为：{1}。每个门都接近 0.5 时，门控层每往回传一步，梯度大约要乘以 0.5（还要再乘上其他因子）；Xavier 初始化的 SRN 一开始 ρ(U) 就接近 1；U = 0 则什么也传不回去。门只有在学会打开之后才有帮助，在那之前没有。',
    'the SRN (Xavier) {}, the LSTM {}, the GRU {}, the zero-initialised SRN {}':
        'SRN（Xavier 初始化）{0}，LSTM {1}，GRU {2}，零初始化的 SRN {3}',
    'the SRN (Xavier)':
        'SRN（Xavier 初始化）',
    'the LSTM':
        'LSTM',
    'the GRU':
        'GRU',
    'the zero-initialised SRN':
        '零初始化的 SRN',
    "at initialisation every gate of our LSTM and GRU sits near σ(0) = 0.5. What does a factor of about 0.5 per step do over 34 steps, compared with the SRN's diag(1 - h_t²) Uᵀ, whose ρ(U) starts near 1? And what does U = 0 pass back?":
        '初始化时，我们的 LSTM 和 GRU 的每个门都在 σ(0) = 0.5 附近。每一步大约乘以 0.5，经过 34 步会怎样？和 SRN 的 diag(1 - h_t²) Uᵀ（它的 ρ(U) 一开始接近 1）相比呢？U = 0 又能传回什么？',
    'the gate that sets the decay':
        '决定衰减的门',
    "measured over {} seeds, the median ratio is {} without a shift; with bias + {} on {}. ∂c_t/∂c_{{t-1}} = diag(f_t) (plus paths through h): the forget gate multiplies the cell's gradient once per step, so f ≈ 0.5 halves it every step and f ≈ 0.95 lets it through. That is Hochreiter & Schmidhuber's constant error carousel.":
        '在 {0} 个种子上测得，不加偏移时比值的中位数为 {1}；把某一个门的偏置加上 {2} 之后：{3}。∂c_t/∂c_{{t-1}} = diag(f_t)（再加上经过 h 的路径）：遗忘门每一步都把内部状态的梯度乘一次，所以 f ≈ 0.5 每一步都把它减半，而 f ≈ 0.95 让它几乎原样通过。这就是 Hochreiter 和 Schmidhuber 的恒定误差传送带（constant error carousel）。',
    'the input gate {}, the forget gate {}, the cell candidate gate {}, the output gate {}':
        '输入门 {0}，遗忘门 {1}，候选状态 {2}，输出门 {3}',
    'cell candidate':
        '候选状态',
    'write ∂c_t/∂c_{t-1} for c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t. Which gate multiplies the path from c_{t-1} to c_t directly, step after step?':
        '对 c_t = f_t ⊙ c_{{t-1}} + i_t ⊙ g_t 写出 ∂c_t/∂c_{{t-1}}。哪个门一步又一步地直接乘在从 c_{{t-1}} 到 c_t 的路径上？',
    'measured over {} seeds, the median ‖∂L/∂h_1‖ / ‖∂L/∂h_35‖ at initialisation is ':
        None,
    '. With every gate near 0.5, a gated layer multiplies its gradient by about 0.5 (times more) per step back; the Xavier SRN starts with ρ(U) near 1; U = 0 passes nothing back at all. Gates help once they have learned to open, not before.':
        None,
    'measured over {} seeds, the median ratio is {} without a shift; with bias + {} on ':
        None,
    "the {} gate {}":
        None,
    ". ∂c_t/∂c_{t-1} = diag(f_t) (plus paths through h): the forget gate multiplies the cell's gradient once per step, so f ≈ 0.5 halves it every step and f ≈ 0.95 lets it through. That is Hochreiter & Schmidhuber's constant error carousel.":
        None,
    'ex.check_layer_ranking(..., reveal=True)':
        None,
    'ex.check_forget_gate(..., reveal=True)':
        None,
}
